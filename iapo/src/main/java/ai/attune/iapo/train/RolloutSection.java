package ai.attune.iapo.train;

import static ai.attune.core.config.InvalidSettingException.nonNegative;
import static ai.attune.core.config.InvalidSettingException.positive;
import static ai.attune.core.config.InvalidSettingException.require;

import ai.attune.core.config.ConfigYaml;
import ai.attune.iapo.rollout.RolloutConfig;
import ai.attune.iapo.tools.ToolRegistry;
import ai.attune.iapo.tools.image.CropTool;
import ai.attune.iapo.tools.image.DrawBoxTool;
import ai.attune.iapo.tools.image.HighlightTool;
import ai.attune.iapo.tools.image.MaskTool;
import ai.attune.iapo.tools.image.ZoomInTool;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * {@code rollout}: how the student's multi-turn trajectories are sampled (iapo.md §2 step 1).
 *
 * @param groupSize G, rollouts per question; >= 2 (group-relative advantages); default 4
 * @param maxTurns assistant turns per rollout; default 3
 * @param maxNewTokens token limit of one assistant turn; default 256
 * @param temperature sampling temperature of training rollouts; default 1.0
 * @param topK keep the k likeliest tokens; 0 (default) = off
 * @param topP nucleus mass in (0, 1]; 1 (default) = off
 * @param offerTools render the tool definitions into the system turn; default true (a model
 *     warm-started without them may be trained without them: calls are executed either way)
 * @param systemPrompt the system text; absent = {@link RolloutConfig#DEFAULT_SYSTEM_PROMPT}
 * @param tools the built-in tools offered and executed, from crop, zoom_in, highlight, mask,
 *     draw_box; default all five; empty for none (a run of the public API may add tools of its own)
 * @param zoomShortSide zoom_in enlarges a crop until its short side reaches this; default 224
 * @param evalTemperature sampling temperature of evaluation rollouts; default 0 (greedy)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RolloutSection(
    int groupSize,
    int maxTurns,
    int maxNewTokens,
    double temperature,
    int topK,
    double topP,
    boolean offerTools,
    String systemPrompt,
    List<String> tools,
    int zoomShortSide,
    double evalTemperature) {

  /** The tools by name. */
  static final List<String> TOOL_NAMES =
      List.of(CropTool.NAME, ZoomInTool.NAME, HighlightTool.NAME, MaskTool.NAME, DrawBoxTool.NAME);

  public RolloutSection {
    require(
        groupSize >= 2,
        "rollout.group_size",
        "must be >= 2 (advantages compare the rollouts of a group), got " + groupSize);
    positive(maxTurns, "rollout.max_turns");
    positive(maxNewTokens, "rollout.max_new_tokens");
    nonNegative(temperature, "rollout.temperature");
    nonNegative(topK, "rollout.top_k");
    require(topP > 0 && topP <= 1, "rollout.top_p", "must be in (0, 1], got " + topP);
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
  }

  /** The rollout settings of training ({@code eval = false}) or evaluation rollouts. */
  public RolloutConfig toConfig(boolean eval) {
    return RolloutConfig.builder()
        .optMaxTurns(maxTurns)
        .optMaxNewTokensPerTurn(maxNewTokens)
        .optTemperature(eval ? evalTemperature : temperature)
        .optTopK(topK)
        .optTopP(topP)
        .optOfferTools(offerTools)
        .optSystemPrompt(systemPrompt == null ? RolloutConfig.DEFAULT_SYSTEM_PROMPT : systemPrompt)
        .build();
  }

  /**
   * The defaults of the sampling settings, taken from {@link RolloutConfig#defaults} so that each
   * has one default: {@code max_turns}, {@code max_new_tokens}, {@code temperature}, {@code top_k},
   * {@code top_p} and {@code offer_tools} ({@code system_prompt: null} means its default prompt).
   */
  static ObjectNode domainDefaults() {
    RolloutConfig d = RolloutConfig.defaults();
    ObjectNode o = ConfigYaml.MAPPER.createObjectNode();
    o.put("max_turns", d.maxTurns());
    o.put("max_new_tokens", d.maxNewTokensPerTurn());
    o.put("temperature", d.temperature());
    o.put("top_k", d.topK());
    o.put("top_p", d.topP());
    o.put("offer_tools", d.offerTools());
    return o;
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
