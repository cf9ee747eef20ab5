package ai.attune.iapo.train;

import static ai.attune.core.config.InvalidSettingException.nonNegative;
import static ai.attune.core.config.InvalidSettingException.positive;
import static ai.attune.core.config.InvalidSettingException.require;

import ai.attune.iapo.rollout.RolloutConfig;
import ai.attune.iapo.tools.ToolRegistry;
import ai.attune.iapo.tools.image.CropTool;
import ai.attune.iapo.tools.image.DrawBoxTool;
import ai.attune.iapo.tools.image.HighlightTool;
import ai.attune.iapo.tools.image.MaskTool;
import ai.attune.iapo.tools.image.ZoomInTool;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * {@code rollout}: how the student's multi-turn trajectories are sampled (iapo.md §2 step 1). The
 * sampling settings ({@code max_turns}, {@code max_new_tokens}, {@code temperature}, {@code top_k},
 * {@code top_p}, {@code offer_tools}, {@code system_prompt}) are those of {@link RolloutConfig},
 * bound flat into this section with their defaults and help text; the others are the run's.
 *
 * @param groupSize G, rollouts per question; >= 2 (group-relative advantages); default 4
 * @param tools the built-in tools offered and executed, from crop, zoom_in, highlight, mask,
 *     draw_box; default all five; empty for none (a run of the public API may add tools of its own)
 * @param zoomShortSide zoom_in enlarges a crop until its short side reaches this; default 224
 * @param evalTemperature sampling temperature of evaluation rollouts; default 0 (greedy)
 * @param sampling how training rollouts are sampled; evaluation rollouts the same at {@code
 *     evalTemperature} ({@link #evaluation})
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RolloutSection(
    int groupSize,
    List<String> tools,
    int zoomShortSide,
    double evalTemperature,
    @JsonUnwrapped RolloutConfig sampling) {

  /** The tools by name. */
  static final List<String> TOOL_NAMES =
      List.of(CropTool.NAME, ZoomInTool.NAME, HighlightTool.NAME, MaskTool.NAME, DrawBoxTool.NAME);

  public RolloutSection {
    require(
        groupSize >= 2,
        "rollout.group_size",
        "must be >= 2 (advantages compare the rollouts of a group), got " + groupSize);
    require(tools != null, "rollout.tools", "required field is missing");
    tools = List.copyOf(tools);
    for (int i = 0; i < tools.size(); i++) {
      require(
          TOOL_NAMES.contains(tools.get(i)),
          "rollout.tools[" + i + "]",
          "unknown tool '" + tools.get(i) + "', expected one of " + TOOL_NAMES);
    }
    positive(zoomShortSide, "rollout.zoom_short_side");
    nonNegative(evalTemperature, "rollout.eval_temperature");
    require(sampling != null, "rollout", "the sampling settings are missing");
  }

  /** The settings of evaluation rollouts: {@link #sampling} at {@link #evalTemperature}. */
  public RolloutConfig evaluation() {
    return sampling.withTemperature(evalTemperature);
  }

  /** A registry of the configured tools. */
  public ToolRegistry registry() {
    ToolRegistry r = new ToolRegistry();
    for (String name : tools) {
      r.register(
          switch (name) {
            case CropTool.NAME -> new CropTool();
            case ZoomInTool.NAME -> new ZoomInTool(zoomShortSide);
            case HighlightTool.NAME -> new HighlightTool();
            case MaskTool.NAME -> new MaskTool();
            case DrawBoxTool.NAME -> new DrawBoxTool();
            default -> throw new IllegalStateException("unknown tool " + name);
          });
    }
    return r;
  }
}
