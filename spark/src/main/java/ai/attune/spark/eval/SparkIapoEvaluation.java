package ai.attune.spark.eval;

import ai.attune.iapo.data.VqaExample;
import ai.attune.iapo.train.EvalSetResult;
import ai.attune.iapo.train.Evaluator;
import ai.attune.iapo.train.QuestionResult;
import ai.attune.iapo.train.RolloutSamples;
import ai.attune.spark.train.ExecutorEngine;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code iapo eval} spread over Spark partitions with the result of one process: every set is cut
 * into batches of {@link Evaluator#BATCH} questions exactly as one process cuts it, the batches of
 * all sets are laid end to end, each partition rolls out a contiguous run of whole batches ({@link
 * Evaluator#evaluateBatches}, question i of a set seeded by i as in one process), and the driver
 * combines each set's question results in order ({@link Evaluator#combine}) and writes the rendered
 * samples.
 */
public final class SparkIapoEvaluation {
  private SparkIapoEvaluation() {}

  /**
   * Evaluates over at most {@code partitions} partitions (fewer when there are fewer batches) and
   * returns every set's questions' results, in order, by set name.
   */
  public static Map<String, List<QuestionResult>> questions(
      JavaSparkContext sc, IapoEvalSpec spec, int partitions) {
    Map<String, List<VqaExample>> sets = spec.sets();
    int batches = sets.values().stream().mapToInt(s -> Evaluator.batches(s.size())).sum();
    int p = Math.max(1, Math.min(partitions, batches));
    List<Integer> ids = IntStream.range(0, p).boxed().toList();
    List<SetPart> parts =
        sc.parallelize(ids, p)
            .mapPartitions(it -> evaluatePart(spec, it.next(), p).iterator())
            .collect();
    Map<String, List<QuestionResult>> out = new LinkedHashMap<>();
    sets.keySet().forEach(name -> out.put(name, new ArrayList<>()));
    for (SetPart part : parts) {
      out.get(part.set()).addAll(part.questions());
    }
    return out;
  }

  /**
   * {@code iapo eval} over Spark: the sets' results, by name; the samples the spec asks for go to
   * {@code samplesDir} when it is not null.
   */
  public static Map<String, EvalSetResult> evaluate(
      JavaSparkContext sc, IapoEvalSpec spec, int partitions, Path samplesDir) {
    return combine(questions(sc, spec, partitions), samplesDir);
  }

  /**
   * Every set's result from its questions' results (as {@link #questions} returns them); the
   * rendered samples among them, in order, go to {@code samplesDir} when it is not null.
   */
  public static Map<String, EvalSetResult> combine(
      Map<String, List<QuestionResult>> questions, Path samplesDir) {
    Map<String, EvalSetResult> out = new LinkedHashMap<>();
    List<RolloutSamples.Rendered> samples = new ArrayList<>();
    for (Map.Entry<String, List<QuestionResult>> set : questions.entrySet()) {
      out.put(set.getKey(), Evaluator.combine(set.getKey(), set.getValue()));
      set.getValue().stream().filter(q -> q.sample() != null).forEach(q -> samples.add(q.sample()));
    }
    Evaluator.writeSamples(samplesDir, samples);
    return out;
  }

  /** Batches {@code [B * part / parts, B * (part + 1) / parts)} of all sets' B batches. */
  static List<SetPart> evaluatePart(IapoEvalSpec spec, int part, int parts) {
    TaskContext task = TaskContext.get();
    ExecutorEngine.configure(task == null ? 1 : task.cpus());
    Map<String, List<VqaExample>> sets = spec.sets();
    int total = sets.values().stream().mapToInt(s -> Evaluator.batches(s.size())).sum();
    int from = (int) ((long) total * part / parts);
    int to = (int) ((long) total * (part + 1) / parts);
    if (from >= to) {
      return new ArrayList<>();
    }
    return spec.withEvaluator(
        (evaluator, root) -> {
          List<SetPart> out = new ArrayList<>();
          int batchOffset = 0;
          int questionOffset = 0;
          for (Map.Entry<String, List<VqaExample>> set : sets.entrySet()) {
            List<VqaExample> questions = set.getValue();
            int n = Evaluator.batches(questions.size());
            int a = Math.max(from, batchOffset) - batchOffset;
            int b = Math.min(to, batchOffset + n) - batchOffset;
            if (a < b) {
              List<QuestionResult> results =
                  evaluator.evaluateBatches(
                      set.getKey(),
                      questions,
                      a,
                      b,
                      spec.samples() - questionOffset,
                      questionOffset,
                      root);
              out.add(new SetPart(set.getKey(), new ArrayList<>(results)));
            }
            batchOffset += n;
            questionOffset += questions.size();
          }
          return out;
        });
  }

  /** The results of one partition's questions of one set, in order. */
  record SetPart(String set, List<QuestionResult> questions) implements Serializable {}
}
