package ai.attune.iapo.warmstart;

import ai.attune.iapo.data.VqaExample;
import ai.attune.iapo.grpo.TokenMasks.TokenRole;
import ai.attune.iapo.rollout.RolloutConfig;
import ai.attune.iapo.rollout.RolloutPrompts;
import ai.attune.iapo.rollout.SpecialTokens;
import ai.attune.iapo.rollout.Trajectory;
import ai.attune.iapo.rollout.TrajectoryBuilder;
import ai.attune.iapo.tools.Box;
import ai.attune.iapo.tools.BoxSpec;
import ai.attune.iapo.tools.ToolContext;
import ai.attune.iapo.tools.ToolRegistry;
import ai.attune.iapo.tools.ToolResult;
import ai.attune.iapo.tools.image.HighlightTool;
import ai.attune.iapo.tools.image.ZoomInTool;
import ai.attune.models.qwen2vl.ProcessedImage;
import ai.attune.models.qwen2vl.Qwen2VlImageProcessor;
import ai.attune.models.qwen2vl.chat.ToolCall;
import ai.attune.models.text.TextTokenizer;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Demonstration trajectories for a supervised warm start on chart questions: the model calls a
 * focus tool, reads the result, and answers. A random or base model never writes a parseable {@code
 * <tool_call>}, so RL has nothing to reinforce; the paper's students start from trained models, and
 * this is the short equivalent.
 *
 * <p>Each demonstration is built exactly as a rollout is (same prompt, same environment piece), so
 * only the policy tokens differ: turn 1 is {@code <tool_call>\n{...}\n</tool_call>} (where a
 * rollout's generation stops), the tool really runs and its result (text and image) is fed back,
 * turn 2 is {@code FINAL ANSWER: <gold answer><|im_end|>}. The call ({@link #callFor}): {@code
 * highlight} on the categories the question names, or, when it names none, {@code zoom_in} on the
 * bar area (the span of all named boxes, or the whole image without boxes).
 */
public final class Demonstrations {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private Demonstrations() {}

  /**
   * The tool call a demonstration makes for an example whose first image is {@code width × height};
   * {@link #DEFAULT_CALLS} is {@link #callFor}.
   */
  @FunctionalInterface
  public interface CallChooser {
    ToolCall callFor(VqaExample example, int width, int height);
  }

  /** The built-in calls: {@code highlight} or {@code zoom_in} ({@link #callFor}). */
  public static final CallChooser DEFAULT_CALLS = Demonstrations::callFor;

  /** One demonstration: the call it makes and its token sequence. */
  public record Demonstration(String exampleId, ToolCall call, Trajectory trajectory) {}

  /**
   * Builds one demonstration per example.
   *
   * @throws IllegalArgumentException naming the example when its image cannot be read, the tool the
   *     call needs is not registered, or the call fails
   */
  public static List<Demonstration> build(
      List<VqaExample> examples,
      TextTokenizer tokenizer,
      Qwen2VlImageProcessor processor,
      ToolRegistry registry,
      RolloutConfig config) {
    return build(examples, tokenizer, processor, registry, config, DEFAULT_CALLS);
  }

  /**
   * As {@link #build(List, TextTokenizer, Qwen2VlImageProcessor, ToolRegistry, RolloutConfig)},
   * with the calls {@code calls} chooses.
   */
  public static List<Demonstration> build(
      List<VqaExample> examples,
      TextTokenizer tokenizer,
      Qwen2VlImageProcessor processor,
      ToolRegistry registry,
      RolloutConfig config,
      CallChooser calls) {
    SpecialTokens special = SpecialTokens.of(tokenizer);
    List<Demonstration> out = new ArrayList<>();
    for (VqaExample e : examples) {
      try {
        out.add(demonstrate(e, tokenizer, special, processor, registry, config, calls));
      } catch (RuntimeException ex) {
        throw new IllegalArgumentException(
            "demonstration for example " + e.id() + " (" + e.origin() + "): " + ex.getMessage(),
            ex);
      }
    }
    return out;
  }

  private static Demonstration demonstrate(
      VqaExample e,
      TextTokenizer tokenizer,
      SpecialTokens special,
      Qwen2VlImageProcessor processor,
      ToolRegistry registry,
      RolloutConfig config,
      CallChooser calls) {
    List<BufferedImage> images = e.loadImages();
    BufferedImage first = images.get(0);
    ToolCall call = calls.callFor(e, first.getWidth(), first.getHeight());
    if (!registry.names().contains(call.name())) {
      throw new IllegalArgumentException(
          "the demonstration calls "
              + call.name()
              + ", which is not registered (tools: "
              + registry.names()
              + ")");
    }
    List<ProcessedImage> processed = images.stream().map(processor::process).toList();
    TrajectoryBuilder b = new TrajectoryBuilder(tokenizer, special);
    b.appendRendered(
        RolloutPrompts.initial(
            RolloutPrompts.userText(e, images, config.offerTools()),
            processed,
            config.systemPrompt(),
            config.offerTools() ? registry.definitions() : List.of()),
        TokenRole.PROMPT);
    policy(
        b,
        tokenizer,
        SpecialTokens.TOOL_CALL_OPEN
            + "\n"
            + call.toQwenJson()
            + "\n"
            + SpecialTokens.TOOL_CALL_CLOSE);
    ToolResult result = registry.execute(call, ToolContext.of(images, e.boxes()));
    if (!result.ok()) {
      throw new IllegalArgumentException(
          "its tool call " + call.toQwenJson() + " failed: " + result.error());
    }
    ProcessedImage shown = result.image() == null ? null : processor.process(result.image());
    b.appendRendered(
        RolloutPrompts.environment(
            SpecialTokens.IM_END + "\n", List.of(RolloutPrompts.toolMessage(result, shown))),
        TokenRole.TOOL_OUTPUT);
    policy(b, tokenizer, "FINAL ANSWER: " + e.answer() + SpecialTokens.IM_END);
    return new Demonstration(e.id(), call, b.build());
  }

  private static void policy(TrajectoryBuilder b, TextTokenizer tokenizer, String text) {
    long[] ids = tokenizer.encode(text);
    b.appendPolicy(ids, new float[ids.length], tokenizer.decode(ids));
  }

  /**
   * The demonstrated call for {@code example}, whose first image is {@code width × height}: {@code
   * highlight} of the named rows/columns the question mentions (as whole words, in the question's
   * order), else {@code zoom_in} on the span of all named boxes, else on the whole image.
   */
  public static ToolCall callFor(VqaExample example, int width, int height) {
    List<String> rows = mentioned(example.boxes().rows(), example.question());
    List<String> columns = mentioned(example.boxes().columns(), example.question());
    ObjectNode args = JSON.objectNode();
    if (!rows.isEmpty() || !columns.isEmpty()) {
      if (!rows.isEmpty()) {
        strings(args.putArray("rows"), rows);
      }
      if (!columns.isEmpty()) {
        strings(args.putArray("columns"), columns);
      }
      return new ToolCall(HighlightTool.NAME, args);
    }
    List<Box> boxes = new ArrayList<>();
    for (Map<String, BoxSpec> named : List.of(example.boxes().rows(), example.boxes().columns())) {
      for (BoxSpec s : named.values()) {
        Box px = s.toPixels(width, height);
        if (px != null) {
          boxes.add(px);
        }
      }
    }
    Box area = boxes.isEmpty() ? new Box(0, 0, width, height) : Box.span(boxes);
    ArrayNode bbox = args.putArray("bbox");
    area.toList().forEach(bbox::add);
    return new ToolCall(ZoomInTool.NAME, args);
  }

  /** The names the question mentions as whole words, in the order it mentions them. */
  private static List<String> mentioned(Map<String, BoxSpec> named, String question) {
    Map<Integer, String> at = new TreeMap<>();
    for (String name : named.keySet()) {
      Matcher m =
          Pattern.compile("(?<![\\w])" + Pattern.quote(name) + "(?![\\w])").matcher(question);
      if (m.find()) {
        at.put(m.start(), name);
      }
    }
    return new ArrayList<>(at.values());
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
