package ai.attune.iapo.memory;

import ai.attune.core.device.ComputeDtype;
import ai.attune.models.llama.LlamaConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An estimate of the GPU memory one IAPO step needs, component by component, and whether it fits a
 * budget. Resident: the student's weights, AdamW's state (float32 moments, and float32 masters when
 * the weights are float16), the gradients, the frozen teacher and reference and a fixed runtime
 * allowance. On top, the largest of the step's four phases (they do not overlap): the policy
 * update's activations at the configured micro-batch, the integrated-gradients pass of the larger
 * of student and teacher, generation's KV cache and the optimizer step's per-parameter temporaries.
 *
 * <p>The activation model follows this project's code: per layer and token the tensors autograd
 * keeps for the backward pass ({@code 7·hidden + 3·kv + 4·intermediate} values: the norms' inputs
 * and outputs, q, k, v and their rotated forms, the attention output, the MLP's gate, up,
 * activation and product), the attention scores and probabilities ({@code heads · T²} in the
 * compute type, float32 for the softmax) and, for the policy loss, the float32 log-softmax over the
 * vocabulary at the policy tokens only. It is an estimate, not a measurement: the allocator's
 * fragmentation and cuBLAS workspaces are in the runtime allowance.
 *
 * @param components every line of the plan, in order
 * @param peakPhase which phase sets the peak
 * @param budgetBytes the memory available
 */
public record MemoryPlan(List<Component> components, String peakPhase, long budgetBytes) {

  /** One line of the plan; {@code resident} lines all count, phase lines only the peak one. */
  public record Component(String name, long bytes, boolean resident, String note) {}

  /** Bytes the step needs: the resident lines and the peak phase. */
  public long totalBytes() {
    long total = 0;
    for (Component c : components) {
      if (c.resident() || c.name().equals(peakPhase)) {
        total += c.bytes();
      }
    }
    return total;
  }

  public boolean fits() {
    return totalBytes() <= budgetBytes;
  }

  /** The plan as a table in GB (10^9 bytes), with the verdict. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-34s %9s  %s%n", "component", "GB", "note"));
    for (Component c : components) {
      String mark = c.resident() ? "" : c.name().equals(peakPhase) ? " (peak phase)" : "";
      sb.append(
          String.format(
              Locale.ROOT, "%-34s %9.2f  %s%s%n", c.name(), gb(c.bytes()), c.note(), mark));
    }
    sb.append(
        String.format(
            Locale.ROOT, "%-34s %9.2f  resident + %s%n", "total", gb(totalBytes()), peakPhase));
    sb.append(
        String.format(
            Locale.ROOT,
            "%-34s %9.2f  %s%n",
            "budget",
            gb(budgetBytes),
            fits()
                ? "FITS ("
                    + String.format(Locale.ROOT, "%.2f", gb(budgetBytes - totalBytes()))
                    + " GB to spare)"
                : "DOES NOT FIT ("
                    + String.format(Locale.ROOT, "%.2f", gb(totalBytes() - budgetBytes))
                    + " GB over)"));
    return sb.toString();
  }

  static double gb(long bytes) {
    return bytes / 1e9;
  }

  /**
   * What a step of the given shapes and settings needs.
   *
   * @param student the student's sizes and compute type
   * @param trainable the student's trainable parameters
   * @param teacher the teacher's sizes, or null
   * @param reference the reference's sizes, or null
   * @param run the run's settings that memory depends on
   */
  public static MemoryPlan of(
      ModelSize student,
      ComputeDtype studentDtype,
      long trainable,
      ModelSize teacher,
      ComputeDtype teacherDtype,
      ModelSize reference,
      ComputeDtype referenceDtype,
      PlanSettings run,
      long budgetBytes) {
    List<Component> c = new ArrayList<>();
    int b = bytes(studentDtype);
    c.add(
        new Component(
            "student weights",
            student.parameters() * b,
            true,
            String.format(Locale.ROOT, "%,d parameters, %s", student.parameters(), studentDtype)));
    boolean masters = studentDtype != ComputeDtype.FLOAT32;
    c.add(
        new Component(
            "optimizer state (AdamW)",
            trainable * (masters ? 12L : 8L),
            true,
            String.format(
                Locale.ROOT,
                "%,d trainable × float32 m, v%s",
                trainable,
                masters ? " and master" : "")));
    c.add(
        new Component(
            "gradients", trainable * b, true, "one per trainable parameter, " + studentDtype));
    if (teacher != null) {
      c.add(
          new Component(
              "teacher weights",
              teacher.parameters() * bytes(teacherDtype),
              true,
              String.format(
                  Locale.ROOT, "%,d parameters, %s, frozen", teacher.parameters(), teacherDtype)));
    }
    if (reference != null) {
      c.add(
          new Component(
              "reference weights", reference.parameters() * bytes(referenceDtype), true, "frozen"));
    }
    c.add(
        new Component(
            "runtime allowance",
            run.runtimeBytes(),
            true,
            "CUDA context, cuBLAS workspace, allocator slack (assumed)"));
    int t = run.sequenceTokens();
    long update =
        run.microBatchSize()
                * (decoderActivations(student.text(), t, b, run.recompute())
                    + (long) run.policyTokens() * student.text().vocabSize() * 4L)
            + (long) PlanSettings.HEAD_CHUNK * student.text().vocabSize() * (b + 8L);
    c.add(
        new Component(
            "policy update activations",
            update,
            false,
            String.format(
                Locale.ROOT,
                "micro-batch %d × %d tokens (%d policy tokens each)%s",
                run.microBatchSize(),
                t,
                run.policyTokens(),
                run.recompute() ? ", recomputed per layer" : "")));
    long optimizer = student.largestParameter() * 20;
    c.add(
        new Component(
            "optimizer step",
            optimizer,
            false,
            "one parameter at a time: float32 gradient copy and update terms"));
    long attribution = 0;
    String who = "student";
    if (run.attributes()) {
      int tp = run.attributionTokens();
      long s =
          run.igRowsPerPass()
              * (decoderActivations(student.text(), tp, b, run.recompute())
                  + (long) tp * student.text().vocabSize() * 4L);
      long tch =
          teacher == null
              ? 0
              : run.igRowsPerPass()
                  * (decoderActivations(teacher.text(), tp, bytes(teacherDtype), run.recompute())
                      + (long) tp * teacher.text().vocabSize() * 4L);
      attribution = Math.max(s, tch);
      who = tch > s ? "teacher" : "student";
      c.add(
          new Component(
              "attribution activations",
              attribution,
              false,
              String.format(
                  Locale.ROOT,
                  "%s, %d IG rows × %d tokens, full-vocabulary logits%s",
                  who,
                  run.igRowsPerPass(),
                  tp,
                  run.recompute() ? ", recomputed per layer" : "")));
    }
    LlamaConfig x = student.text();
    long kv =
        (long) run.generationRows() * t * x.numLayers() * 2L * x.numKvHeads() * x.headDim() * b;
    long prefill =
        (long) run.generationRows()
            * x.numHeads()
            * (long) run.promptTokens()
            * run.promptTokens()
            * (4L + 2L * b);
    c.add(
        new Component(
            "generation",
            kv + prefill,
            false,
            String.format(
                Locale.ROOT,
                "KV cache of %d rows × %d tokens, prefill attention",
                run.generationRows(),
                t)));
    String peak = "policy update activations";
    long most = update;
    if (attribution > most) {
      peak = "attribution activations";
      most = attribution;
    }
    if (kv + prefill > most) {
      peak = "generation";
      most = kv + prefill;
    }
    if (optimizer > most) {
      peak = "optimizer step";
    }
    return new MemoryPlan(List.copyOf(c), peak, budgetBytes);
  }

  /**
   * What one row of {@code t} tokens keeps for the backward pass: every decoder layer's
   * activations, or with {@code recompute} every layer's input and one layer's activations.
   */
  static long decoderActivations(LlamaConfig x, long t, int b, boolean recompute) {
    long d = x.hiddenSize();
    long kv = (long) x.numKvHeads() * x.headDim();
    long perToken = (7 * d + 3 * kv + 4L * x.intermediateSize()) * b;
    long attention = x.numHeads() * t * t * (4L + 2L * b);
    long layer = t * perToken + attention;
    return recompute ? x.numLayers() * t * d * b + layer : x.numLayers() * layer;
  }

  static int bytes(ComputeDtype d) {
    return d == ComputeDtype.FLOAT32 ? 4 : 2;
  }
}
