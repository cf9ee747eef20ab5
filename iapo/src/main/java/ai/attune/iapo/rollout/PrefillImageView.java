package ai.attune.iapo.rollout;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.params.ParameterStore;
import ai.attune.models.CausalLM;
import ai.attune.models.ModelInfo;
import ai.attune.models.layers.KvCache;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * An image-bound view for generation in which only the prompt pass scatters image features: tokens
 * fed in decoding steps (after the cache holds the prompt, or a continuation's chunk at cache index
 * {@code origin}) are embedded as text, as HF does when {@code pixel_values} are given only to the
 * prefill. Without it, a row that just sampled {@code <|image_pad|>} (a stop token here) would
 * break the next step of the whole batch.
 */
final class PrefillImageView implements CausalLM {
  private final CausalLM view;
  private final CausalLM text;
  private final long origin;

  /**
   * @param view the image-bound view of the batch
   * @param text the same model without images (text embeddings)
   * @param origin the cache length when the view's prompt (or chunk) is fed
   */
  PrefillImageView(CausalLM view, CausalLM text, long origin) {
    this.view = view;
    this.text = text;
    this.origin = origin;
  }

  @Override
  public ModelInfo info() {
    return view.info();
  }

  @Override
  public ParameterStore parameters() {
    return view.parameters();
  }

  @Override
  public ComputeDtype dtype() {
    return view.dtype();
  }

  @Override
  public NDArray embed(NDArray inputIds) {
    return view.embed(inputIds);
  }

  @Override
  public NDArray forwardEmbeddings(NDArray inputsEmbeds, NDArray attentionMask, KvCache cache) {
    return view.forwardEmbeddings(inputsEmbeds, attentionMask, cache);
  }

  @Override
  public NDArray forward(NDArray inputIds, NDArray attentionMask, KvCache cache) {
    boolean decoding = cache != null && cache.length() > origin;
    NDArray embeds = decoding ? text.embed(inputIds) : view.embed(inputIds);
    return view.forwardEmbeddings(embeds, attentionMask, cache);
  }

  @Override
  public KvCache newCache(NDManager parent) {
    return view.newCache(parent);
  }

  @Override
  public void close() {
    // the parameters belong to the model
  }
}
