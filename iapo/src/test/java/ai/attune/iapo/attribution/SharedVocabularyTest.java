package ai.attune.iapo.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.config.Mappers;
import ai.attune.core.device.ComputeDtype;
import ai.attune.core.params.ParameterStore;
import ai.attune.models.LanguageModel;
import ai.attune.models.ModelInfo;
import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tokenizer assumption: same vocabularies, model sizes that differ only by padding. */
@Tag("engine")
class SharedVocabularyTest {
  private static final Path TOKENIZER = Fixtures.dir(Fixtures.VL).resolve("tokenizer.json");

  /** Only {@link #info()} is read by the check. */
  private record SizedModel(int vocabSize) implements LanguageModel {
    @Override
    public ModelInfo info() {
      return new ModelInfo("sized", vocabSize, 1, 8, List.of(0), 0, 0);
    }

    @Override
    public ParameterStore parameters() {
      throw new UnsupportedOperationException("the vocabulary check reads no parameters");
    }

    @Override
    public ComputeDtype dtype() {
      return ComputeDtype.FLOAT32;
    }

    @Override
    public NDArray embed(NDArray inputIds) {
      throw new UnsupportedOperationException("the vocabulary check embeds nothing");
    }
  }

  @Test
  void withoutTokenizerFilesTheVocabularySizesMustBeEqual() {
    assertThatCode(() -> SharedVocabulary.requireShared(new SizedModel(512), new SizedModel(512)))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () -> SharedVocabulary.requireShared(new SizedModel(512), new SizedModel(640)))
        .hasMessageStartingWith(
            "teacher and student vocabulary sizes differ (student 512," + " teacher 640)");
  }

  @Test
  void sameTokenizerAllowsPaddingRows() {
    Map<String, Long> vocab = SharedVocabulary.vocabulary(TOKENIZER);
    assertThat(vocab)
        .hasSize(512)
        .containsEntry("<tool_call>", 7L)
        .containsEntry("<|image_pad|>", 5L);
    assertThatCode(
            () ->
                SharedVocabulary.requireShared(
                    new SizedModel(512), TOKENIZER, new SizedModel(640), TOKENIZER.getParent()))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () ->
                SharedVocabulary.requireShared(
                    new SizedModel(500), TOKENIZER, new SizedModel(512), TOKENIZER))
        .hasMessage(
            "the student embeds 500 tokens but its tokenizer " + TOKENIZER + " has ids up to 511");
  }

  @Test
  void differentVocabulariesAreRefusedNamingAToken(@TempDir Path tmp) throws Exception {
    ObjectNode root = (ObjectNode) Mappers.json().readTree(Files.readAllBytes(TOKENIZER));
    ObjectNode vocab = (ObjectNode) root.path("model").path("vocab");
    String a = tokenWithId(vocab, 100); // plain tokens: the added tokens end at id 12
    String b = tokenWithId(vocab, 200);
    vocab.put(a, 200);
    vocab.put(b, 100);
    Path swapped = tmp.resolve("tokenizer.json");
    Files.write(swapped, Mappers.json().writeValueAsBytes(root));
    String first = a.compareTo(b) < 0 ? a : b; // the check names the first in token order
    assertThatThrownBy(
            () ->
                SharedVocabulary.requireShared(
                    new SizedModel(512), TOKENIZER, new SizedModel(512), swapped))
        .hasMessageContaining("teacher and student tokenizers differ")
        .hasMessageContaining("token '" + first + "' is ")
        .hasMessageEndingWith("the teacher cannot be run on the student's token ids");
  }

  private static String tokenWithId(ObjectNode vocab, long id) {
    for (var it = vocab.fields(); it.hasNext(); ) {
      var e = it.next();
      if (e.getValue().asLong() == id) {
        return e.getKey();
      }
    }
    throw new AssertionError("no token with id " + id);
  }
}
