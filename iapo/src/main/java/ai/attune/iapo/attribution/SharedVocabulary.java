package ai.attune.iapo.attribution;

import ai.attune.core.config.Mappers;
import ai.attune.models.LanguageModel;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tokenizer assumption of teacher alignment: the teacher is run teacher-forced on the student's
 * token ids, so both models must read an id as the same token.
 *
 * <p>Given both {@code tokenizer.json} files, their vocabularies (the model's {@code vocab} and the
 * {@code added_tokens}, as token → id) must be identical, and each model's embedding must hold
 * every id; the models' vocabulary sizes may then differ by padding rows past the tokenizer's ids
 * (Qwen2.5-VL-3B has 151936 rows, 7B 152064, for the same 151665 tokens). Without the files the
 * vocabulary sizes must be equal.
 */
public final class SharedVocabulary {
  private SharedVocabulary() {}

  /** Requires equal vocabulary sizes (no tokenizer files to compare). */
  public static void requireShared(LanguageModel student, LanguageModel teacher) {
    int s = student.info().vocabSize();
    int t = teacher.info().vocabSize();
    if (s != t) {
      throw new IllegalArgumentException(
          "teacher and student vocabulary sizes differ (student "
              + s
              + ", teacher "
              + t
              + "); if this is only padding, pass both tokenizer.json files"
              + " so the vocabularies can be compared");
    }
  }

  /**
   * Requires the two tokenizers to map every token to the same id and both models to embed every id
   * of it.
   */
  public static void requireShared(
      LanguageModel student, Path studentTokenizer, LanguageModel teacher, Path teacherTokenizer) {
    Map<String, Long> s = vocabulary(studentTokenizer);
    Map<String, Long> t = vocabulary(teacherTokenizer);
    if (!s.equals(t)) {
      throw new IllegalArgumentException(
          "teacher and student tokenizers differ ("
              + studentTokenizer
              + ": "
              + s.size()
              + " tokens, "
              + teacherTokenizer
              + ": "
              + t.size()
              + " tokens; "
              + firstDifference(s, t)
              + "): the teacher cannot be run on"
              + " the student's token ids");
    }
    long size = s.values().stream().mapToLong(Long::longValue).max().orElse(-1) + 1;
    requireEmbedsAll("student", student, size, studentTokenizer);
    requireEmbedsAll("teacher", teacher, size, teacherTokenizer);
  }

  /** token → id of a {@code tokenizer.json} (or of {@code dir/tokenizer.json}). */
  public static Map<String, Long> vocabulary(Path dirOrFile) {
    Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve("tokenizer.json") : dirOrFile;
    JsonNode root;
    try {
      root = Mappers.json().readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tokenizer " + file + ": " + e.getMessage(), e);
    }
    JsonNode vocab = root.path("model").path("vocab");
    Map<String, Long> out = new TreeMap<>();
    if (vocab.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.put(e.getKey(), e.getValue().asLong());
      }
    } else if (vocab.isArray()) { // Unigram: [token, score] pairs, the index is the id
      for (int i = 0; i < vocab.size(); i++) {
        out.put(vocab.get(i).path(0).asText(), (long) i);
      }
    } else {
      throw new IllegalArgumentException(file + ": no model.vocab object or array");
    }
    for (JsonNode added : root.path("added_tokens")) {
      out.put(added.path("content").asText(), added.path("id").asLong());
    }
    return out;
  }

  private static void requireEmbedsAll(String role, LanguageModel model, long size, Path file) {
    if (model.info().vocabSize() < size) {
      throw new IllegalArgumentException(
          "the "
              + role
              + " embeds "
              + model.info().vocabSize()
              + " tokens but its tokenizer "
              + file
              + " has ids up to "
              + (size - 1));
    }
  }

  private static String firstDifference(Map<String, Long> s, Map<String, Long> t) {
    for (Map.Entry<String, Long> e : s.entrySet()) {
      Long other = t.get(e.getKey());
      if (!e.getValue().equals(other)) {
        return "token '"
            + e.getKey()
            + "' is "
            + e.getValue()
            + " for the student, "
            + (other == null ? "missing" : other)
            + " for the teacher";
      }
    }
    for (String token : t.keySet()) {
      if (!s.containsKey(token)) {
        return "token '" + token + "' is missing for the student";
      }
    }
    return "no token differs";
  }
}
