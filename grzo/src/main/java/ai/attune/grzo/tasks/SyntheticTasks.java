package ai.attune.grzo.tasks;

import ai.attune.core.config.Mappers;
import ai.attune.core.run.AtomicFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Small seeded data sets in the SST-2 and RTE formats, built from word lists so that tests and
 * examples have labelled data without downloads: sentiment sentences whose label is the polarity of
 * their adjectives, and premise/hypothesis pairs entailed or not by construction. All words are
 * plain lower-case English. The same seed always writes the same bytes; no sentence (or pair)
 * appears twice across train, dev and test.
 *
 * <p>The committed copies under {@code src-test-data/tasks/} were written by {@code java ...
 * ai.attune.grzo.tasks.SyntheticTasks src-test-data/tasks} (seed {@link #DEFAULT_SEED}).
 */
public final class SyntheticTasks {
  /** The seed of the committed files. */
  public static final long DEFAULT_SEED = 42L;

  /** Examples per split: train, dev, test. */
  public static final int TRAIN = 300;

  public static final int DEV = 100;
  public static final int TEST = 100;

  private static final ObjectWriter LINE =
      Mappers.json().writer().without(SerializationFeature.INDENT_OUTPUT);
  private static final List<String> SPLITS = List.of("train", "dev", "test");

  private SyntheticTasks() {}

  /** Writes {@code root/sst2-synth/} and {@code root/rte-synth/}, each train, dev and test. */
  public static void writeAll(Path root, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    write(root.resolve("sst2-synth"), new Sst2(random.split()));
    write(root.resolve("rte-synth"), new Rte(random.split()));
  }

  /** Regenerates the files: {@code SyntheticTasks <dir> [seed]}. */
  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 2) {
      throw new IllegalArgumentException("usage: SyntheticTasks <dir> [seed]");
    }
    writeAll(Path.of(args[0]), args.length == 2 ? Long.parseLong(args[1]) : DEFAULT_SEED);
  }

  private static void write(Path dir, LineSource source) throws IOException {
    int[] sizes = {TRAIN, DEV, TEST};
    for (int s = 0; s < SPLITS.size(); s++) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < sizes[s]; i++) {
        try {
          text.append(LINE.writeValueAsString(source.next(i))).append('\n');
        } catch (JsonProcessingException e) {
          throw new UncheckedIOException(e);
        }
      }
      AtomicFiles.write(
          dir.resolve(SPLITS.get(s) + ".jsonl"), text.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  private interface LineSource {
    ObjectNode next(int idx);
  }

  static String pick(SplittableRandom random, List<String> words) {
    return words.get(random.nextInt(words.size()));
  }

  /** Sentiment sentences: label 1 when the adjectives are positive, 0 when negative. */
  private static final class Sst2 implements LineSource {
    static final List<String> POSITIVE =
        List.of(
            "wonderful",
            "great",
            "brilliant",
            "delightful",
            "charming",
            "moving",
            "superb",
            "lovely",
            "beautiful",
            "clever",
            "funny",
            "fresh");
    static final List<String> NEGATIVE =
        List.of(
            "dull",
            "boring",
            "awful",
            "terrible",
            "tedious",
            "bland",
            "clumsy",
            "messy",
            "weak",
            "bad",
            "slow",
            "silly");
    static final List<String> SUBJECTS =
        List.of(
            "the movie",
            "this film",
            "the story",
            "the acting",
            "the ending",
            "the music",
            "the script",
            "the cast");
    static final List<String> NOUNS = List.of("movie", "film", "story", "show", "picture");
    static final List<String> ADVERBS = List.of("very", "really", "truly", "quite");

    private final SplittableRandom random;
    private final Set<String> used = new HashSet<>();

    Sst2(SplittableRandom random) {
      this.random = random;
    }

    @Override
    public ObjectNode next(int idx) {
      int label = random.nextInt(2);
      List<String> adjectives = label == 1 ? POSITIVE : NEGATIVE;
      String sentence;
      do {
        sentence = sentence(adjectives);
      } while (!used.add(sentence));
      ObjectNode line = Mappers.json().createObjectNode();
      return line.put("sentence", sentence).put("label", label).put("idx", idx);
    }

    private String sentence(List<String> adjectives) {
      String adj = pick(random, adjectives);
      switch (random.nextInt(5)) {
        case 0:
          return pick(random, SUBJECTS) + " was " + adj;
        case 1:
          return pick(random, SUBJECTS) + " is " + pick(random, ADVERBS) + " " + adj;
        case 2:
          return "a " + adj + " and " + pick(random, adjectives) + " " + pick(random, NOUNS);
        case 3:
          return "i found " + pick(random, SUBJECTS) + " " + adj;
        default:
          return "what a " + adj + " " + pick(random, NOUNS);
      }
    }
  }

  /**
   * Premise "the P V the O in the L"; the hypothesis restates part of it (label 0, entailment) or
   * changes one word of it (label 1, not entailment).
   */
  private static final class Rte implements LineSource {
    static final List<String> PEOPLE =
        List.of("teacher", "farmer", "doctor", "child", "pilot", "baker", "singer", "driver");
    static final List<String> VERBS =
        List.of("painted", "found", "sold", "carried", "cleaned", "opened", "moved", "fixed");
    static final List<String> OBJECTS =
        List.of("chair", "box", "door", "boat", "window", "table", "basket", "lamp");
    static final List<String> PLACES =
        List.of("kitchen", "garden", "market", "house", "park", "school", "village", "station");

    private final SplittableRandom random;
    private final Set<String> used = new HashSet<>();

    Rte(SplittableRandom random) {
      this.random = random;
    }

    @Override
    public ObjectNode next(int idx) {
      int label = random.nextInt(2);
      String premise;
      String hypothesis;
      do {
        String p = pick(random, PEOPLE);
        String v = pick(random, VERBS);
        String o = pick(random, OBJECTS);
        String l = pick(random, PLACES);
        premise = "the " + p + " " + v + " the " + o + " in the " + l;
        hypothesis = label == 0 ? entailed(p, v, o, l) : contradicted(p, v, o, l);
      } while (!used.add(premise + "|" + hypothesis));
      ObjectNode line = Mappers.json().createObjectNode();
      return line.put("premise", premise)
          .put("hypothesis", hypothesis)
          .put("idx", idx)
          .put("label", label);
    }

    private String entailed(String p, String v, String o, String l) {
      switch (random.nextInt(3)) {
        case 0:
          return "the " + p + " " + v + " the " + o;
        case 1:
          return "the " + o + " was " + v + " by the " + p;
        default:
          return "the " + p + " was in the " + l;
      }
    }

    private String contradicted(String p, String v, String o, String l) {
      switch (random.nextInt(4)) {
        case 0:
          return "the " + other(PEOPLE, p) + " " + v + " the " + o;
        case 1:
          return "the " + p + " " + other(VERBS, v) + " the " + o;
        case 2:
          return "the " + other(OBJECTS, o) + " was " + v + " by the " + p;
        default:
          return "the " + p + " was in the " + other(PLACES, l);
      }
    }

    private String other(List<String> words, String not) {
      String w;
      do {
        w = pick(random, words);
      } while (w.equals(not));
      return w;
    }
  }
}
