package ai.attune.examples;

import ai.attune.core.device.Engines;
import ai.attune.core.safetensors.HostTensor;
import ai.attune.core.safetensors.SafetensorsWriter;
import ai.attune.models.CausalLM;
import ai.attune.models.Models;
import ai.attune.models.generation.GreedyGenerator;
import ai.attune.models.text.TextTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code attune generate}: greedy continuation of token ids or of a text prompt. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Greedy generation with a KV cache. With --inputs, writes sequences (prompt +"
        + " new tokens, int64) to --out; with --prompt, tokenizes with the model folder's"
        + " tokenizer.json and prints the text.")
final class GenerateCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "HF checkpoint folder")
  Path model;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  static final class Source {
    @Option(names = "--inputs", description = "safetensors file with input_ids (left-padded)")
    Path inputs;

    @Option(names = "--prompt", description = "text to continue")
    String prompt;
  }

  @Option(names = "--max-new-tokens", defaultValue = "32",
      description = "tokens to generate. Default: ${DEFAULT-VALUE}")
  int maxNewTokens;

  @Option(names = "--out", description = "safetensors file for sequences (required with --inputs)")
  Path out;

  @Mixin ComputeOptions compute;

  @Override
  public Integer call() {
    if (maxNewTokens < 1) {
      throw new IllegalArgumentException("--max-new-tokens must be at least 1");
    }
    if (source.inputs != null && out == null) {
      throw new IllegalArgumentException("--out is required with --inputs");
    }
    try (NDManager root = Engines.newManager(compute.devicePolicy());
        CausalLM lm = Models.load(model, compute.computeDtype(), root);
        NDManager step = root.newSubManager()) {
      GreedyGenerator generator = new GreedyGenerator(lm);
      if (source.inputs != null) {
        InputBatch batch = InputBatch.read(source.inputs, step);
        NDArray seq = generator.generate(batch.inputIds(), batch.attentionMask(), maxNewTokens,
            step);
        SafetensorsWriter.write(out, List.of(HostTensor.of("sequences", seq)), Map.of());
        System.out.printf("wrote %s: sequences %s%n", out, seq.getShape());
      } else {
        generateText(lm, generator, step);
      }
    }
    return 0;
  }

  private void generateText(CausalLM lm, GreedyGenerator generator, NDManager step) {
    try (TextTokenizer tokenizer = TextTokenizer.load(model)) {
      long[] ids = tokenizer.encode(source.prompt);
      if (ids.length == 0) {
        throw new IllegalArgumentException("--prompt tokenized to no tokens");
      }
      NDArray input = step.create(ids).reshape(1, ids.length);
      NDArray seq = generator.generate(input, input.onesLike(), maxNewTokens, step);
      long[] all = seq.toLongArray();
      long[] fresh = Arrays.copyOfRange(all, ids.length, all.length);
      System.out.println(tokenizer.decode(all));
      System.out.println("new tokens: " + Arrays.toString(fresh));
      System.out.println("new text: " + tokenizer.decode(fresh));
    }
  }
}
