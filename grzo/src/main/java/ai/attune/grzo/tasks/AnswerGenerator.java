package ai.attune.grzo.tasks;

import ai.attune.models.CausalLM;
import ai.attune.models.generation.GenerationConfig;
import ai.attune.models.generation.GenerationResult;
import ai.attune.models.generation.Generator;
import ai.attune.models.text.TextTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Greedy answers to generation prompts, as MeZO decodes SQuAD and DROP: the prompts are left-padded
 * into one batch and decoded greedily for at most {@code maxNewTokens}; each answer is the decoded
 * text of the new tokens before the first end-of-sequence token, cut at its first newline (MeZO
 * stops at "\n") and stripped. The only user of the models' generation package in this package.
 */
final class AnswerGenerator {
  private final CausalLM model;
  private final TextTokenizer tokenizer;
  private final PromptEncoder encoder;
  private final int maxNewTokens;

  AnswerGenerator(
      CausalLM model, TextTokenizer tokenizer, PromptEncoder encoder, int maxNewTokens) {
    if (maxNewTokens < 1) {
      throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + maxNewTokens);
    }
    this.model = model;
    this.tokenizer = tokenizer;
    this.encoder = encoder;
    this.maxNewTokens = maxNewTokens;
  }

  /** One answer per example, decoded in a sub-manager of {@code parent}. */
  List<String> answers(List<TaskExample> examples, NDManager parent) {
    long[][] prompts = new long[examples.size()][];
    for (int i = 0; i < prompts.length; i++) {
      prompts[i] = encoder.promptIds(examples.get(i), maxNewTokens);
    }
    int t = Arrays.stream(prompts).mapToInt(p -> p.length).max().orElse(0);
    long[] ids = new long[prompts.length * t];
    long[] mask = new long[prompts.length * t];
    Arrays.fill(ids, encoder.options().padTokenId());
    for (int i = 0; i < prompts.length; i++) {
      int start = (i + 1) * t - prompts[i].length;
      System.arraycopy(prompts[i], 0, ids, start, prompts[i].length);
      Arrays.fill(mask, start, (i + 1) * t, 1L);
    }
    try (NDManager m = parent.newSubManager()) {
      NDArray input = m.create(ids).reshape(prompts.length, t);
      NDArray attention = m.create(mask).reshape(prompts.length, t);
      GenerationResult out =
          new Generator(model).generate(input, attention, GenerationConfig.greedy(maxNewTokens));
      List<String> answers = new ArrayList<>();
      for (int i = 0; i < prompts.length; i++) {
        answers.add(text(out.newTokensOf(i)));
      }
      return answers;
    }
  }

  private String text(long[] generated) {
    int end = 0;
    while (end < generated.length && !model.info().eosTokenIds().contains((int) generated[end])) {
      end++;
    }
    String decoded = tokenizer.decode(Arrays.copyOf(generated, end));
    int newline = decoded.indexOf('\n');
    return (newline >= 0 ? decoded.substring(0, newline) : decoded).strip();
  }
}
