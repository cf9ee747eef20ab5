package ai.attune.iapo.rollout;

import ai.attune.models.CausalLM;
import ai.attune.models.generation.GenerationConfig;
import ai.attune.models.generation.GenerationResult;
import ai.attune.models.generation.Generator;
import ai.attune.models.layers.KvCache;
import ai.attune.models.qwen2vl.ProcessedImage;
import ai.attune.models.qwen2vl.Qwen25VlForConditionalGeneration;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns generated with one KV cache kept across them: the first turn feeds the prompts, each later
 * turn only what each row appended since (the last sampled token when it was not fed, the tool
 * responses with their images, the next generation prompt), left-padded into one chunk; the vision
 * tower runs on the chunk's new images only, once per distinct image. A prompt that several rows
 * share (the G rollouts of a question) is fed once and its cache rows repeated.
 *
 * <p>Bookkeeping per row: the cache mask (1 for the row's real tokens, 0 for padding and for the
 * pad tokens a row that had stopped was fed while others decoded), how many of its tokens and
 * images the cache holds, and its next M-RoPE position, from which the chunk's text and image
 * positions continue exactly as one pass over the whole sequence places them. Rows of rollouts that
 * ended are dropped from the cache ({@link KvCache#select}). Greedy turns give the tokens of {@link
 * RepromptTurns} (tested), up to float rounding of the different shapes.
 *
 * <p>Lifecycle: one per {@code runAll} call; the cache lives in a sub-manager of the first turn's
 * parent manager until {@link #close}; each turn's other arrays in a turn sub-manager.
 */
final class CachedTurns implements TurnEngine {
  private final Qwen25VlForConditionalGeneration model;
  private final long padId;
  private final List<Row> rows = new ArrayList<>();
  private NDManager session;
  private KvCache cache;

  /** A row of the cached batch. */
  private static final class Row {
    final RolloutState state;
    long[] mask = new long[0]; // over the cache's positions
    int fedTokens;
    int fedImages;
    long next;

    Row(RolloutState state) {
      this.state = state;
    }
  }

  CachedTurns(Qwen25VlForConditionalGeneration model, long padId) {
    this.model = model;
    this.padId = padId;
  }

  @Override
  public GenerationResult generate(
      List<RolloutState> active, GenerationConfig config, NDManager parent) {
    if (cache == null) {
      session = parent.newSubManager();
      cache = model.newCache(session);
      active.forEach(s -> rows.add(new Row(s)));
      prefillSharedPrompts(parent);
    } else {
      keepOnly(active);
    }
    long origin = cache.length();
    List<long[]> chunks = new ArrayList<>();
    List<List<ProcessedImage>> images = new ArrayList<>();
    for (Row r : rows) {
      long[] ids = r.state.ids();
      chunks.add(Arrays.copyOfRange(ids, r.fedTokens, ids.length));
      images.add(
          r.state.images().subList(r.fedImages, r.state.images().size()).stream()
              .map(TrajectoryImage::image)
              .toList());
    }
    try (NDManager turn = parent.newSubManager()) {
      ImageBatch chunk = ImageBatch.of(chunks, images, padId, turn);
      CausalLM view =
          chunk.continueWith(model, origin, rows.stream().mapToLong(r -> r.next).toArray());
      long[] next = Qwen25VlForConditionalGeneration.nextPositions(view);
      NDArray mask = fullMask(chunk, turn);
      GenerationResult result =
          new Generator(new PrefillImageView(view, model, origin))
              .generate(cache, chunk.ids, mask, config);
      advance(chunk, next, result);
      return result;
    }
  }

  /**
   * Feeds the prompts that several rows share (the G rollouts of a question) once: all but their
   * last token, for one row per distinct prompt, whose cache rows are then repeated for every row
   * that shares it; the first turn's chunk is then each row's last prompt token.
   */
  private void prefillSharedPrompts(NDManager parent) {
    List<Integer> firstOf = new ArrayList<>(); // per distinct prompt, its first row
    int[] group = new int[rows.size()];
    for (int b = 0; b < rows.size(); b++) {
      group[b] = -1;
      for (int g = 0; g < firstOf.size() && group[b] < 0; g++) {
        group[b] = samePrompt(rows.get(firstOf.get(g)).state, rows.get(b).state) ? g : -1;
      }
      if (group[b] < 0) {
        group[b] = firstOf.size();
        firstOf.add(b);
      }
    }
    if (firstOf.size() == rows.size()) {
      return;
    }
    List<long[]> prefixes = new ArrayList<>();
    List<List<ProcessedImage>> images = new ArrayList<>();
    for (int b : firstOf) {
      long[] ids = rows.get(b).state.ids();
      prefixes.add(Arrays.copyOf(ids, ids.length - 1));
      images.add(rows.get(b).state.images().stream().map(TrajectoryImage::image).toList());
    }
    long[] next;
    ImageBatch prefix;
    try (NDManager m = parent.newSubManager()) {
      prefix = ImageBatch.of(prefixes, images, padId, m);
      CausalLM view = prefix.continueWith(model, 0, new long[firstOf.size()]);
      next = Qwen25VlForConditionalGeneration.nextPositions(view);
      new PrefillImageView(view, model, 0).forward(prefix.ids, prefix.mask, cache);
      long[] expand = Arrays.stream(group).mapToLong(g -> g).toArray();
      cache.select(m.create(expand));
    }
    for (int b = 0; b < rows.size(); b++) {
      Row r = rows.get(b);
      int g = group[b];
      r.mask = new long[prefix.width];
      Arrays.fill(r.mask, prefix.padding[g], prefix.width, 1);
      r.fedTokens = r.state.ids().length - 1;
      r.fedImages = r.state.images().size();
      r.next = next[g];
    }
  }

  private static boolean samePrompt(RolloutState a, RolloutState b) {
    if (!Arrays.equals(a.ids(), b.ids()) || a.images().size() != b.images().size()) {
      return false;
    }
    for (int i = 0; i < a.images().size(); i++) {
      if (a.images().get(i).image() != b.images().get(i).image()) {
        return false;
      }
    }
    return true;
  }

  /** Drops the rows whose rollout is no longer active, from the rows and the cache. */
  private void keepOnly(List<RolloutState> active) {
    List<Long> kept = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      if (active.contains(rows.get(i).state)) {
        kept.add((long) i);
      }
    }
    if (kept.size() != active.size()) {
      throw new IllegalStateException("the active rollouts are not rows of this cache");
    }
    if (kept.size() == rows.size()) {
      return;
    }
    try (NDManager m = session.newSubManager()) {
      cache.select(m.create(kept.stream().mapToLong(Long::longValue).toArray()));
    }
    rows.removeIf(r -> !active.contains(r.state));
  }

  /** The mask over the cached positions and the chunk, {@code [B, past + T]}. */
  private NDArray fullMask(ImageBatch chunk, NDManager m) {
    int past = (int) cache.length();
    long[] flat = new long[rows.size() * (past + chunk.width)];
    for (int b = 0; b < rows.size(); b++) {
      int at = b * (past + chunk.width);
      System.arraycopy(rows.get(b).mask, 0, flat, at, past);
      for (int t = chunk.padding[b]; t < chunk.width; t++) {
        flat[at + past + t] = 1;
      }
    }
    return m.create(flat, new Shape(rows.size(), past + chunk.width));
  }

  /**
   * Records what the cache now holds per row: the chunk, then the turn's fed steps (all but the
   * last), of which the row's own tokens count and the pads after its stop are masked out.
   */
  private void advance(ImageBatch chunk, long[] next, GenerationResult result) {
    int fed = result.steps() - 1;
    for (int b = 0; b < rows.size(); b++) {
      Row r = rows.get(b);
      int own = Math.min(result.newTokens()[b], fed);
      long[] mask = Arrays.copyOf(r.mask, r.mask.length + chunk.width + fed);
      for (int t = 0; t < chunk.width + fed; t++) {
        boolean real = t < chunk.width ? t >= chunk.padding[b] : t - chunk.width < own;
        mask[r.mask.length + t] = real ? 1 : 0;
      }
      r.mask = mask;
      r.fedTokens = r.state.ids().length + own;
      r.fedImages = r.state.images().size();
      r.next = next[b] + own;
    }
  }

  @Override
  public void close() {
    if (session != null) {
      session.close();
    }
  }
}
