package ai.attune.iapo.train;

import ai.attune.core.noise.SeededNoise;
import ai.attune.core.safetensors.HostTensor;
import ai.attune.core.safetensors.SafetensorsFile;
import ai.attune.core.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes a copy of a small single-file checkpoint whose every float tensor has seeded Gaussian
 * noise added: {@code w + scale · rms(w) · N(0, 1)}, element by element in C order from a {@link
 * Random} seeded with {@code derive(seed, tensor index)} (tensors in file order). Nothing touches
 * the engine, so the bytes are the same on every machine. The noise is relative to each tensor's
 * root mean square, so norms stay near 1 and weight matrices keep their scale.
 *
 * <p>Used to make {@code src-test-data/qwen2_5_vl-tiny-teacher/}, a teacher that differs from the
 * tiny student: {@code PerturbedCheckpoint src-test-data/qwen2_5_vl-tiny
 * src-test-data/qwen2_5_vl-tiny-teacher 0.5 20260612}. Copies {@code config.json}, {@code
 * generation_config.json}, {@code tokenizer.json} and {@code preprocessor_config.json} (those
 * present) and writes {@code model.safetensors} (float32).
 */
public final class PerturbedCheckpoint {
  private static final List<String> COPIED =
      List.of(
          "config.json",
          "generation_config.json",
          "tokenizer.json",
          "tokenizer_config.json",
          "preprocessor_config.json");

  private PerturbedCheckpoint() {}

  /** Writes the perturbed copy of {@code source} into {@code target}. */
  public static void write(Path source, Path target, double scale, long seed) throws IOException {
    Files.createDirectories(target);
    for (String name : COPIED) {
      if (Files.exists(source.resolve(name))) {
        Files.copy(source.resolve(name), target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    List<HostTensor> out = new ArrayList<>();
    try (SafetensorsFile f = SafetensorsFile.open(source.resolve("model.safetensors"))) {
      long index = 0;
      for (String name : f.tensors().keySet()) {
        HostTensor t = f.read(name);
        float[] v = t.toFloats();
        Random rnd = new Random(SeededNoise.derive(seed, index++));
        double rms = Math.sqrt(sumOfSquares(v) / Math.max(1, v.length));
        for (int i = 0; i < v.length; i++) {
          v[i] += (float) (scale * rms * rnd.nextGaussian());
        }
        out.add(HostTensor.ofFloats(name, t.shape(), v));
      }
    }
    SafetensorsWriter.write(
        target.resolve("model.safetensors"),
        out,
        Map.of("format", "pt", "perturbed", "scale=" + scale + ", seed=" + seed));
  }

  private static double sumOfSquares(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return s;
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      System.err.println("usage: PerturbedCheckpoint <source-dir> <target-dir> <scale> <seed>");
      System.exit(2);
    }
    write(Path.of(args[0]), Path.of(args[1]), Double.parseDouble(args[2]), Long.parseLong(args[3]));
    System.out.println("wrote " + Path.of(args[1]).toAbsolutePath());
  }
}
