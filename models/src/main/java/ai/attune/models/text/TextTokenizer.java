package ai.attune.models.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
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
      return new TextTokenizer(
          HuggingFaceTokenizer.newInstance(
              file,
              Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false")));
    } catch (IOException | RuntimeException e) {
      throw new UncheckedIOException(
          new IOException("cannot load tokenizer " + file + ": " + e.getMessage(), e));
    }
  }

  /** Token ids of {@code text}. */
  public long[] encode(String text) {
    Encoding enc = tokenizer.encode(text, false, false);
    return enc.getIds();
  }

  /**
   * Token ids of {@code text} with each token's character range, from DJL's {@link
   * Encoding#getCharTokenSpans()} (the tokenizers library counts Unicode code points; they are
   * converted to {@code String} indices here).
   */
  public EncodedText encodeWithOffsets(String text) {
    Encoding enc = tokenizer.encode(text, false, false);
    long[] ids = enc.getIds();
    CharSpan[] spans = enc.getCharTokenSpans();
    int[] index = codePointToIndex(text);
    int[] starts = new int[ids.length];
    int[] ends = new int[ids.length];
    int last = 0;
    for (int i = 0; i < ids.length; i++) {
      CharSpan s = spans[i];
      starts[i] = s == null ? last : index[s.getStart()];
      ends[i] = s == null ? last : index[s.getEnd()];
      last = ends[i];
    }
    return new EncodedText(ids, starts, ends);
  }

  /** For each code point position 0..n, its {@code String} index. */
  private static int[] codePointToIndex(String text) {
    int[] index = new int[text.codePointCount(0, text.length()) + 1];
    int cp = 0;
    for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
      index[cp++] = i;
    }
    index[cp] = text.length();
    return index;
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
