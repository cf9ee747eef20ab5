package ai.attune.examples;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.Engines;
import ai.attune.core.run.OutputPaths;
import ai.attune.core.safetensors.HostTensor;
import ai.attune.core.safetensors.SafetensorsWriter;
import ai.attune.models.LanguageModel;
import ai.attune.models.LanguageModelLoss;
import ai.attune.models.MaskedLM;
import ai.attune.models.Models;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code attune forward}: logits and per-example loss for a batch of token ids, for a causal or a
 * masked LM.
 *
 * <p>{@code per_example_loss} is the token-mean cross-entropy of each row over unpadded targets:
 * for a causal LM the next token ({@link LanguageModelLoss#perExample}), for a masked LM each
 * unpadded input token predicted at its own position, with nothing masked out of the input ({@link
 * LanguageModelLoss#perExampleAtOwnPosition}).
 */
@Command(
    name = "forward",
    mixinStandardHelpOptions = true,
    description =
        "Runs one forward pass of a causal or masked LM. Reads input_ids (int64 [B,T])"
            + " and optional attention_mask (and, for Qwen2.5-VL, pixel_values and image_grid_thw)"
            + " from a safetensors file; writes logits (float32 [B,T,V])"
            + " and per_example_loss (float32 [B]): the token-mean cross-entropy over unpadded"
            + " tokens, of the next token for a causal LM, and of each input token predicted at its"
            + " own position for a masked LM.")
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
        LanguageModel lm = Models.loadAny(model, dtype, root);
        NDManager step = root.newSubManager()) {
      OutputPaths.requireFile(out, "--out");
      InputBatch batch = InputBatch.read(inputs, step);
      batch.check(lm, 0);
      NDArray ids = batch.inputIds();
      NDArray mask = batch.attentionMask();
      NDArray logits;
      NDArray loss;
      if (lm instanceof MaskedLM) {
        logits = ((MaskedLM) lm).forward(ids, mask);
        loss = LanguageModelLoss.perExampleAtOwnPosition(logits, ids, mask);
      } else {
        logits = batch.bind(lm).forward(ids, mask, null);
        loss = LanguageModelLoss.perExample(logits, ids, mask);
      }
      SafetensorsWriter.write(
          out,
          List.of(HostTensor.of("logits", logits), HostTensor.of("per_example_loss", loss)),
          Map.of());
      System.out.printf(
          "wrote %s: logits %s, per_example_loss %s%n",
          out, logits.getShape(), Arrays.toString(loss.toFloatArray()));
    }
    return 0;
  }
}
