package ai.attune.spark.train;

import ai.attune.core.params.Parameter;
import ai.attune.grzo.optim.BatchLoss;
import ai.attune.grzo.optim.GrzoOptimizer;
import ai.attune.grzo.optim.MezoOptimizer;
import ai.attune.grzo.optim.ShardLosses;
import ai.attune.grzo.optim.ZerothOrderOptimizer;
import ai.attune.grzo.optim.ZoStep;
import ai.attune.grzo.tasks.TaskExample;
import ai.attune.grzo.train.TrainWorker;
import ai.attune.models.LanguageModel;
import ai.attune.models.adapters.TokenCoefficients;
import ai.attune.spark.exchange.Exchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.CRC32C;

/**
 * One worker of a data-parallel MeZO or GRZO run. Every worker derives the step's noise from the
 * same step seed; worker {@code r} evaluates only its {@link Shard} of the global batch (GRZO: with
 * the global batch's per-example signs, drawn in full from the seed), the workers all-gather their
 * per-example losses (16 bytes per example), and each applies the update of the whole batch, so N
 * workers reach the weights one process reaches on the same global batch.
 *
 * <p>A GRZO run that updates an embedding table adds a second round per step: each worker's share
 * of the row coefficients, summed by row in rank order. Every {@code checksumEvery} steps the
 * workers compare a CRC-32C of their weights; a mismatch stops the run ({@link
 * WorkersDivergedException}).
 */
public final class DataParallelWorker implements TrainWorker {
  private final Exchange exchange;
  private final int checksumEvery;
  private final long finalStep;
  private long lastChecksum;
  private long exchangeNanos;
  private long stepNanos;
  private long rounds;

  /**
   * @param exchange the connected exchange (its rank and size are this worker's)
   * @param checksumEvery compare the weights every this many steps (0: only at {@code finalStep})
   * @param finalStep the run's last step ({@code train.steps}), whose weights are always compared
   */
  public DataParallelWorker(Exchange exchange, int checksumEvery, long finalStep) {
    if (checksumEvery < 0) {
      throw new IllegalArgumentException("checksumEvery must be >= 0, got " + checksumEvery);
    }
    this.exchange = exchange;
    this.checksumEvery = checksumEvery;
    this.finalStep = finalStep;
  }

  /** The checksum of the weights at the last comparison (0 before the first). */
  public long lastChecksum() {
    return lastChecksum;
  }

  @Override
  public boolean writesFiles() {
    return exchange.rank() == 0;
  }

  /** Total time spent in exchange rounds so far, in nanoseconds. */
  public long exchangeNanos() {
    return exchangeNanos;
  }

  /** Total time spent in {@link #step} so far, in nanoseconds. */
  public long stepNanos() {
    return stepNanos;
  }

  /** The number of exchange rounds so far. */
  public long rounds() {
    return rounds;
  }

  @Override
  public ZoStep step(
      ZerothOrderOptimizer optimizer,
      LanguageModel model,
      long step,
      long seed,
      double learningRate,
      List<TaskExample> batch,
      Function<List<TaskExample>, BatchLoss> lossOf) {
    long t0 = System.nanoTime();
    try {
      return shardStep(optimizer, model, step, seed, learningRate, batch, lossOf);
    } finally {
      stepNanos += System.nanoTime() - t0;
    }
  }

  private ZoStep shardStep(
      ZerothOrderOptimizer optimizer,
      LanguageModel model,
      long step,
      long seed,
      double learningRate,
      List<TaskExample> batch,
      Function<List<TaskExample>, BatchLoss> lossOf) {
    Shard shard = Shard.of(batch.size(), exchange.size(), exchange.rank());
    BatchLoss local = lossOf.apply(batch.subList(shard.offset(), shard.offset() + shard.length()));
    ZoStep r;
    if (optimizer instanceof GrzoOptimizer grzo) {
      r = grzoStep(grzo, step, seed, learningRate, batch.size(), shard, local);
    } else if (optimizer instanceof MezoOptimizer mezo) {
      ShardLosses mine = mezo.evaluateShard(step, seed, local);
      Wire.Losses all = gatherLosses(step, mine);
      r = mezo.applyGathered(step, seed, learningRate, all.plus(), all.minus());
    } else {
      throw new IllegalArgumentException("no data-parallel step for optimizer " + optimizer.name());
    }
    if (step == finalStep || (checksumEvery > 0 && step % checksumEvery == 0)) {
      compareChecksums(step, model);
    }
    return r;
  }

  private ZoStep grzoStep(
      GrzoOptimizer grzo,
      long step,
      long seed,
      double learningRate,
      int globalExamples,
      Shard shard,
      BatchLoss local) {
    ShardLosses mine = grzo.evaluateShard(step, seed, local, globalExamples, shard.offset());
    Wire.Losses all = gatherLosses(step, mine);
    double[] a = grzo.gatheredCoefficients(all.plus(), all.minus());
    Map<String, TokenCoefficients> rows = Map.of();
    if (a != null && grzo.updatesEmbeddings()) {
      rows = sumRows(gather(Wire.rows(grzo.shardEmbeddingRows(seed, a, local, shard.offset()))));
    }
    return grzo.applyGathered(step, seed, learningRate, all.plus(), all.minus(), a, rows);
  }

  private Wire.Losses gatherLosses(long step, ShardLosses mine) {
    List<byte[]> messages = gather(Wire.losses(step, mine.plus(), mine.minus()));
    List<double[]> plus = new ArrayList<>();
    List<double[]> minus = new ArrayList<>();
    for (int r = 0; r < messages.size(); r++) {
      Wire.Losses l = Wire.readLosses(messages.get(r));
      if (l.step() != step) {
        throw new IllegalStateException(
            "worker "
                + r
                + " is at step "
                + l.step()
                + ", worker "
                + exchange.rank()
                + " at step "
                + step
                + ": the workers did not resume together");
      }
      plus.add(l.plus());
      minus.add(l.minus());
    }
    return new Wire.Losses(step, concat(plus), concat(minus));
  }

  /** The workers' row coefficients summed by table row, workers in rank order. */
  static Map<String, TokenCoefficients> sumRows(List<byte[]> messages) {
    Map<String, TreeMap<Long, Double>> sums = new LinkedHashMap<>();
    for (byte[] m : messages) {
      for (Map.Entry<String, TokenCoefficients> e : Wire.readRows(m).entrySet()) {
        TreeMap<Long, Double> table = sums.computeIfAbsent(e.getKey(), k -> new TreeMap<>());
        long[] ids = e.getValue().ids();
        double[] c = e.getValue().coefficients();
        for (int k = 0; k < ids.length; k++) {
          table.merge(ids[k], c[k], Double::sum);
        }
      }
    }
    Map<String, TokenCoefficients> out = new LinkedHashMap<>();
    sums.forEach(
        (name, table) ->
            out.put(
                name,
                new TokenCoefficients(
                    table.keySet().stream().mapToLong(Long::longValue).toArray(),
                    table.values().stream().mapToDouble(Double::doubleValue).toArray())));
    return out;
  }

  private void compareChecksums(long step, LanguageModel model) {
    long mine = checksum(model);
    lastChecksum = mine;
    List<byte[]> all = gather(Wire.checksum(step, mine));
    for (int r = 0; r < all.size(); r++) {
      Wire.Checksum c = Wire.readChecksum(all.get(r));
      if (c.value() != mine) {
        throw new WorkersDivergedException(step, exchange.rank(), mine, r, c.value());
      }
    }
  }

  /** CRC-32C of every parameter's bytes, in declaration order. */
  public static long checksum(LanguageModel model) {
    CRC32C crc = new CRC32C();
    for (Parameter p : model.parameters().parameters().values()) {
      crc.update(p.value().toByteArray());
    }
    return crc.getValue();
  }

  private List<byte[]> gather(byte[] message) {
    long t0 = System.nanoTime();
    try {
      return exchange.allGather(message);
    } catch (IOException e) {
      throw new UncheckedIOException("worker " + exchange.rank() + ": exchange failed", e);
    } finally {
      exchangeNanos += System.nanoTime() - t0;
      rounds++;
    }
  }

  private static double[] concat(List<double[]> parts) {
    int n = parts.stream().mapToInt(p -> p.length).sum();
    double[] out = new double[n];
    int at = 0;
    for (double[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
