package ai.attune.examples;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.Engines;
import ai.attune.core.safetensors.HostTensor;
import ai.attune.core.safetensors.SafetensorsWriter;
import ai.attune.models.CausalLM;
import ai.attune.models.LanguageModelLoss;
import ai.attune.models.Models;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code attune forward}: logits and per-example loss for a batch of token ids. */
@Command(name = "forward", mixinStandardHelpOptions = true,
    description = "Runs one forward pass. Reads input_ids (int64 [B,T]) and optional"
        + " attention_mask from a safetensors file; writes logits (float32 [B,T,V]) and"
        + " per_example_loss (float32 [B], token-mean next-token cross-entropy over unpadded"
        + " labels).")
final class ForwardCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "HF checkpoint folder")
  Path model;

  @Option(names = "--inputs", required = true, description = "safetensors file with input_ids")
  Path inputs;

  @Option(names = "--out", required = true, description = "safetensors file to write")
  Path out;

  @Mixin ComputeOptions compute;

  @Override
  public Integer call() {
    ComputeDtype dtype = compute.computeDtype();
    try (NDManager root = Engines.newManager(compute.devicePolicy());
        CausalLM lm = Models.load(model, dtype, root);
        NDManager step = root.newSubManager()) {
      InputBatch batch = InputBatch.read(inputs, step);
      NDArray logits = lm.forward(batch.inputIds(), batch.attentionMask(), null);
      NDArray loss = LanguageModelLoss.perExample(logits, batch.inputIds(), batch.attentionMask());
      SafetensorsWriter.write(out, List.of(HostTensor.of("logits", logits),
          HostTensor.of("per_example_loss", loss)), Map.of());
      System.out.printf("wrote %s: logits %s, per_example_loss %s%n", out, logits.getShape(),
          java.util.Arrays.toString(loss.toFloatArray()));
    }
    return 0;
  }
}
