package ai.attune.models.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The HF tokenizer of a checkpoint folder ({@code tokenizer.json}), through DJL's bindings to the
 * HuggingFace tokenizers library. Ids come back exactly as the {@code tokenizer.json} defines them:
 * no special tokens are added and nothing is truncated or padded.
 */
public final class TextTokenizer implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;

  private TextTokenizer(HuggingFaceTokenizer tokenizer) {
    this.tokenizer = tokenizer;
  }

  /** Loads {@code dir/tokenizer.json} (or {@code dir} itself if it is the file). */
  public static TextTokenizer load(Path dirOrFile) {
    Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve("tokenizer.json") : dirOrFile;
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no tokenizer.json at " + file);
    }
    try {
      return new TextTokenizer(HuggingFaceTokenizer.newInstance(file, Map.of(
          "addSpecialTokens", "false", "truncation", "false", "padding", "false")));
    } catch (IOException | RuntimeException e) {
      throw new UncheckedIOException(new IOException("cannot load tokenizer " + file + ": "
          + e.getMessage(), e));
    }
  }

  /** Token ids of {@code text}. */
  public long[] encode(String text) {
    Encoding enc = tokenizer.encode(text, false, false);
    return enc.getIds();
  }

  /** Text of {@code ids}, special tokens kept. */
  public String decode(long[] ids) {
    return tokenizer.decode(ids, false);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
