package ai.attune.iapo.rollout;

import ai.attune.iapo.grpo.TokenMasks.TokenRole;
import ai.attune.models.qwen2vl.ProcessedImage;
import ai.attune.models.qwen2vl.chat.BlockKind;
import ai.attune.models.qwen2vl.chat.RenderedPrompt;
import ai.attune.models.qwen2vl.chat.TokenizedPrompt;
import ai.attune.models.text.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Builds a {@link Trajectory} piece by piece, the way verl and TRL build multi-turn sequences:
 * rendered pieces (the prompt, each environment turn) are tokenised on their own and appended with
 * their block spans and images; generated tokens are appended exactly as sampled, never
 * re-tokenised. The text is kept alongside, so that the ids decode to {@link #text()}.
 *
 * <p>Lifecycle: create, append pieces in conversation order, {@link #build()} (any number of times;
 * the builder may keep growing). Not thread-safe.
 */
public final class TrajectoryBuilder {
  private final TextTokenizer tokenizer;
  private final SpecialTokens special;
  private long[] ids = new long[256];
  private TokenRole[] roles = new TokenRole[256];
  private BlockKind[] blocks = new BlockKind[256];
  private float[] logprobs = new float[256];
  private int size;
  private final List<TrajectoryImage> images = new ArrayList<>();
  private final StringBuilder text = new StringBuilder();

  public TrajectoryBuilder(TextTokenizer tokenizer, SpecialTokens special) {
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    this.special = Objects.requireNonNull(special, "special");
  }

  /**
   * Tokenises {@code piece} and appends it with {@code role} ({@link TokenRole#PROMPT} or {@link
   * TokenRole#TOOL_OUTPUT}); each token takes the block of the span it falls in, and the k-th run
   * of {@code <|image_pad|>} tokens becomes the piece's k-th image.
   *
   * @return the index of the piece's first token
   * @throws IllegalArgumentException when the pad runs do not match the piece's images (a text that
   *     holds {@code <|image_pad|>} itself)
   */
  public int appendRendered(RenderedPrompt piece, TokenRole role) {
    if (role != TokenRole.PROMPT && role != TokenRole.TOOL_OUTPUT) {
      throw new IllegalArgumentException("rendered pieces are PROMPT or TOOL_OUTPUT, not " + role);
    }
    TokenizedPrompt tp = piece.tokenize(tokenizer);
    long[] pieceIds = tp.ids();
    int base = size;
    BlockKind[] pieceBlocks = new BlockKind[pieceIds.length];
    for (RenderedPrompt.TokenSpan s : tp.spans()) {
      Arrays.fill(pieceBlocks, s.start(), s.end(), s.kind());
    }
    List<TrajectoryImage> found = placeImages(pieceIds, piece.images(), base, role);
    for (int i = 0; i < pieceIds.length; i++) {
      add(pieceIds[i], role, pieceBlocks[i], 0f);
    }
    images.addAll(found);
    text.append(piece.text());
    return base;
  }

  /**
   * Appends tokens the policy generated, with the log-probabilities it gave them.
   *
   * @param decoded what the tokens decode to
   * @return the index of the first one
   */
  public int appendPolicy(long[] tokens, float[] tokenLogprobs, String decoded) {
    if (tokens.length != tokenLogprobs.length) {
      throw new IllegalArgumentException(
          tokens.length + " tokens but " + tokenLogprobs.length + " log-probabilities");
    }
    int base = size;
    for (int i = 0; i < tokens.length; i++) {
      add(tokens[i], TokenRole.POLICY, null, tokenLogprobs[i]);
    }
    text.append(decoded);
    return base;
  }

  /** An independent builder holding what this one holds so far (to fork a shared prompt). */
  public TrajectoryBuilder copy() {
    TrajectoryBuilder c = new TrajectoryBuilder(tokenizer, special);
    c.ids = ids.clone();
    c.roles = roles.clone();
    c.blocks = blocks.clone();
    c.logprobs = logprobs.clone();
    c.size = size;
    c.images.addAll(images);
    c.text.append(text);
    return c;
  }

  public int length() {
    return size;
  }

  /** The ids so far (a copy). */
  public long[] ids() {
    return Arrays.copyOf(ids, size);
  }

  /** The images so far, in order. */
  public List<TrajectoryImage> images() {
    return List.copyOf(images);
  }

  public String text() {
    return text.toString();
  }

  public Trajectory build() {
    return new Trajectory(
        Arrays.copyOf(ids, size),
        Arrays.copyOf(roles, size),
        Arrays.copyOf(blocks, size),
        Arrays.copyOf(logprobs, size),
        images,
        text.toString());
  }

  private List<TrajectoryImage> placeImages(
      long[] pieceIds, List<ProcessedImage> pieceImages, int base, TokenRole role) {
    List<TrajectoryImage> out = new ArrayList<>();
    BlockKind kind = role == TokenRole.PROMPT ? BlockKind.IMAGE : BlockKind.TOOL_OUTPUT;
    int i = 0;
    while (i < pieceIds.length) {
      if (pieceIds[i] != special.imagePad()) {
        i++;
        continue;
      }
      int start = i;
      while (i < pieceIds.length && pieceIds[i] == special.imagePad()) {
        i++;
      }
      int k = out.size();
      if (k >= pieceImages.size() || pieceImages.get(k).numImageTokens() != i - start) {
        throw new IllegalArgumentException(
            "image-pad run "
                + k
                + " of "
                + (i - start)
                + " tokens does not match the piece's "
                + pieceImages.size()
                + " images: does the"
                + " text itself hold <|image_pad|>?");
      }
      out.add(new TrajectoryImage(pieceImages.get(k), base + start, base + i, kind));
    }
    if (out.size() != pieceImages.size()) {
      throw new IllegalArgumentException(
          "the piece has " + pieceImages.size() + " images but " + out.size() + " image-pad runs");
    }
    return out;
  }

  private void add(long id, TokenRole role, BlockKind block, float logprob) {
    if (size == ids.length) {
      int n = size * 2;
      ids = Arrays.copyOf(ids, n);
      roles = Arrays.copyOf(roles, n);
      blocks = Arrays.copyOf(blocks, n);
      logprobs = Arrays.copyOf(logprobs, n);
    }
    ids[size] = id;
    roles[size] = role;
    blocks[size] = block;
    logprobs[size] = logprob;
    size++;
  }
}
