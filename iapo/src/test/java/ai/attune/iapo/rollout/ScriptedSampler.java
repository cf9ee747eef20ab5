package ai.attune.iapo.rollout;

import ai.attune.models.CausalLM;
import ai.attune.models.generation.FinishReason;
import ai.attune.models.generation.GenerationConfig;
import ai.attune.models.generation.GenerationResult;
import ai.attune.models.text.TextTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * A sampler that "generates" given text: call k gives row b of the batch the text {@code
 * script.get(k).get(b)}, tokenised, with the log-probabilities the model assigns those tokens in
 * one teacher-forced pass over the batch (rows that end early are padded, as the generator pads
 * finished rows). Records how many images each call's batch held.
 */
final class ScriptedSampler implements TurnSampler {
  private final TextTokenizer tokenizer;
  private final List<List<String>> script;
  private final int imagePad;
  final List<Integer> imagesPerCall = new ArrayList<>();

  ScriptedSampler(TextTokenizer tokenizer, List<List<String>> script) {
    this.tokenizer = tokenizer;
    this.script = script;
    this.imagePad = SpecialTokens.of(tokenizer).imagePad();
  }

  @Override
  public GenerationResult sample(
      CausalLM model, NDArray inputIds, NDArray attentionMask, GenerationConfig config) {
    List<String> texts = script.get(imagesPerCall.size());
    int b = (int) inputIds.getShape().get(0);
    int t = (int) inputIds.getShape().get(1);
    long[] prompt = inputIds.toLongArray();
    imagesPerCall.add(RolloutChecks.imageRuns(prompt, imagePad));
    long[][] tokens = new long[b][];
    int n = 0;
    for (int i = 0; i < b; i++) {
      tokens[i] = tokenizer.encode(texts.get(i));
      n = Math.max(n, tokens[i].length);
    }
    int pad = config.padTokenId(model.info());
    long[] ids = new long[b * (t + n)];
    long[] mask = new long[b * (t + n)];
    long[] promptMask = attentionMask.toType(DataType.INT64, false).toLongArray();
    long[][] sequences = new long[b][t + n];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < t + n; j++) {
        long id = j < t ? prompt[i * t + j] : j - t < tokens[i].length ? tokens[i][j - t] : pad;
        ids[i * (t + n) + j] = id;
        mask[i * (t + n) + j] = j < t ? promptMask[i * t + j] : 1;
        sequences[i][j] = id;
      }
    }
    NDManager m = inputIds.getManager();
    float[][] logprobs = new float[b][n];
    try (NDManager s = m.newSubManager()) {
      Shape shape = new Shape(b, t + n);
      NDArray logits = model.forward(s.create(ids, shape), s.create(mask, shape), null);
      float[] lp = logits.logSoftmax(-1).toFloatArray();
      int v = (int) logits.getShape().get(2);
      for (int i = 0; i < b; i++) {
        for (int j = 0; j < tokens[i].length; j++) {
          int pos = t - 1 + j;
          logprobs[i][j] = lp[(i * (t + n) + pos) * v + (int) tokens[i][j]];
        }
      }
    }
    int[] newTokens = new int[b];
    List<FinishReason> reasons = new ArrayList<>();
    List<Integer> stops = config.stopTokenIds(model.info());
    for (int i = 0; i < b; i++) {
      newTokens[i] = tokens[i].length;
      long last = tokens[i][tokens[i].length - 1];
      reasons.add(stops.contains((int) last) ? FinishReason.STOP : FinishReason.LENGTH);
    }
    return new GenerationResult(sequences, t, newTokens, logprobs, new float[b][n], reasons);
  }
}
