package ai.attune.iapo.rollout;

import ai.attune.iapo.grpo.TokenMasks.TokenRole;
import ai.attune.models.qwen2vl.chat.BlockKind;
import java.util.List;

/**
 * A token sequence of a conversation with its per-token bookkeeping, as a policy-gradient loss, a
 * supervised loss and an attribution need it. All arrays have one entry per token and are owned by
 * this record (do not modify them).
 *
 * @param ids token ids
 * @param roles who chose each token: {@link TokenRole#PROMPT}, {@link TokenRole#POLICY} (the model
 *     generated it) or {@link TokenRole#TOOL_OUTPUT} (appended by the environment)
 * @param blocks the IAPO input block of each prompt or tool-output token, null for template markup
 *     and generated tokens
 * @param logprobs for policy tokens the log-probability the sampling policy gave them (raw, before
 *     temperature); 0 elsewhere
 * @param images the images, in the order of their pad runs
 * @param text what the tokens decode to (special tokens and image pads written out)
 */
public record Trajectory(
    long[] ids,
    TokenRole[] roles,
    BlockKind[] blocks,
    float[] logprobs,
    List<TrajectoryImage> images,
    String text) {

  public Trajectory {
    images = List.copyOf(images);
    int n = ids.length;
    if (roles.length != n || blocks.length != n || logprobs.length != n) {
      throw new IllegalArgumentException(
          "per-token arrays differ in length: "
              + n
              + " ids, "
              + roles.length
              + " roles, "
              + blocks.length
              + " blocks, "
              + logprobs.length
              + " logprobs");
    }
  }

  public int length() {
    return ids.length;
  }

  /** 1 at policy tokens, 0 elsewhere. */
  public float[] policyMask() {
    float[] m = new float[ids.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = roles[i] == TokenRole.POLICY ? 1f : 0f;
    }
    return m;
  }

  /** Number of policy tokens. */
  public int policyTokens() {
    int n = 0;
    for (TokenRole r : roles) {
      n += r == TokenRole.POLICY ? 1 : 0;
    }
    return n;
  }
}
