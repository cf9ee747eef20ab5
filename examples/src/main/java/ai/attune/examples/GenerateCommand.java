package ai.attune.examples;

import ai.attune.core.device.Engines;
import ai.attune.core.run.OutputPaths;
import ai.attune.core.safetensors.HostTensor;
import ai.attune.core.safetensors.SafetensorsWriter;
import ai.attune.models.CausalLM;
import ai.attune.models.Models;
import ai.attune.models.generation.GenerationConfig;
import ai.attune.models.generation.GenerationResult;
import ai.attune.models.generation.Generator;
import ai.attune.models.qwen2vl.Qwen25VlForConditionalGeneration;
import ai.attune.models.text.TextTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code attune generate}: greedy or seeded sampled continuation of token ids or of a text. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description =
        "Generation with a KV cache, greedy unless --temperature > 0. With --inputs,"
            + " writes sequences (prompt + new tokens, int64 [B, T+n]) and logprobs (float32 [B, n],"
            + " raw model log-probabilities of the new tokens, 0 after a row stopped) to --out; with"
            + " --prompt, tokenizes with the model folder's tokenizer.json and prints the text.")
final class GenerateCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "HF checkpoint folder")
  Path model;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  static final class Source {
    @Option(names = "--inputs", description = "safetensors file with input_ids (left-padded)")
    Path inputs;

    @Option(
        names = "--prompt",
        description =
            "text to continue; for a vision-language model,"
                + " the user message of a chat (rendered with the chat template)")
    String prompt;
  }

  @Option(
      names = "--image",
      description =
          "an image (PNG or JPEG) shown with --prompt to a"
              + " vision-language model; repeat for several")
  List<Path> images = new ArrayList<>();

  @Option(
      names = "--show-prompt",
      description =
          "with a vision-language model, also print the"
              + " prompt as rendered by the chat template (image pad tokens included)")
  boolean showPrompt;

  @Option(
      names = "--max-new-tokens",
      defaultValue = "32",
      description = "tokens to generate. Default: ${DEFAULT-VALUE}")
  int maxNewTokens;

  @Option(
      names = "--temperature",
      defaultValue = "0",
      description = "sampling temperature; 0 = greedy. Default: ${DEFAULT-VALUE}")
  double temperature;

  @Option(
      names = "--top-k",
      defaultValue = "0",
      description = "sample only from the k most likely tokens; 0 = off. Default: ${DEFAULT-VALUE}")
  int topK;

  @Option(
      names = "--top-p",
      defaultValue = "1",
      description =
          "sample only from the smallest set of likeliest tokens of probability >= p;"
              + " 1 = off. Default: ${DEFAULT-VALUE}")
  double topP;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "seed of the sampling uniforms. Default: ${DEFAULT-VALUE}")
  long seed;

  @Option(
      names = "--out",
      description = "safetensors file for sequences and logprobs (required with --inputs)")
  Path out;

  @Mixin ComputeOptions compute;

  @Override
  public Integer call() {
    if (source.inputs != null && out == null) {
      throw new IllegalArgumentException("--out is required with --inputs");
    }
    GenerationConfig config = config();
    try (NDManager root = Engines.newManager(compute.devicePolicy());
        CausalLM lm = Models.load(model, compute.computeDtype(), root);
        NDManager step = root.newSubManager()) {
      if (!images.isEmpty() && source.prompt == null) {
        throw new IllegalArgumentException("--image goes with --prompt");
      }
      if (source.inputs != null) {
        OutputPaths.requireFile(out, "--out");
        InputBatch batch = InputBatch.read(source.inputs, step);
        batch.check(lm, maxNewTokens);
        GenerationResult r =
            new Generator(batch.bind(lm)).generate(batch.inputIds(), batch.attentionMask(), config);
        long[] seqShape = {r.sequences().length, r.promptLength() + r.steps()};
        long[] lpShape = {r.sequences().length, r.steps()};
        SafetensorsWriter.write(
            out,
            List.of(
                HostTensor.ofLongs("sequences", seqShape, flatten(r.sequences())),
                HostTensor.ofFloats("logprobs", lpShape, flatten(r.logprobs()))),
            Map.of());
        System.out.printf(
            "wrote %s: sequences %s, logprobs %s, finish %s%n",
            out, Arrays.toString(seqShape), Arrays.toString(lpShape), r.finishReasons());
      } else if (lm instanceof Qwen25VlForConditionalGeneration vl) {
        new ChatGeneration(model, vl).run(source.prompt, images, config, showPrompt, step);
      } else if (!images.isEmpty()) {
        throw new IllegalArgumentException(
            "--image needs a vision-language model; " + lm.info().modelType() + " takes no images");
      } else {
        generateText(new Generator(lm), config, step);
      }
    }
    return 0;
  }

  /** The generation settings from the options; validated by {@link GenerationConfig}. */
  GenerationConfig config() {
    return GenerationConfig.builder()
        .setMaxNewTokens(maxNewTokens)
        .optTemperature(temperature)
        .optTopK(topK)
        .optTopP(topP)
        .optSeed(seed)
        .optReturnLogprobs(true)
        .build();
  }

  private static long[] flatten(long[][] rows) {
    return Arrays.stream(rows).flatMapToLong(Arrays::stream).toArray();
  }

  private static float[] flatten(float[][] rows) {
    int width = rows.length == 0 ? 0 : rows[0].length;
    float[] flat = new float[rows.length * width];
    for (int b = 0; b < rows.length; b++) {
      System.arraycopy(rows[b], 0, flat, b * width, width);
    }
    return flat;
  }

  private void generateText(Generator generator, GenerationConfig config, NDManager step) {
    try (TextTokenizer tokenizer = TextTokenizer.load(model)) {
      long[] ids = tokenizer.encode(source.prompt);
      if (ids.length == 0) {
        throw new IllegalArgumentException("--prompt tokenized to no tokens");
      }
      NDArray input = step.create(ids).reshape(1, ids.length);
      GenerationResult r = generator.generate(input, input.onesLike(), config);
      long[] all = r.sequences()[0];
      long[] fresh = r.newTokensOf(0);
      System.out.println(tokenizer.decode(all));
      System.out.println("new tokens: " + Arrays.toString(fresh));
      System.out.println("new text: " + tokenizer.decode(fresh));
    }
  }
}
