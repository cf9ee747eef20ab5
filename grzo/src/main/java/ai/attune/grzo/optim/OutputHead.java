package ai.attune.grzo.optim;

import ai.attune.core.params.ParameterStore;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The parameters of a model's output head, which GRZO and MeZO leave frozen unless their config's
 * {@code trainHead} says otherwise (grzo.md §2: perturbing the head costs (B, T, vocab)
 * activations, and the paper's setting trains the body only).
 *
 * <p>The head is the vocabulary projection under its HF names: {@code lm_head.weight} (OPT, Llama,
 * Qwen2), {@code lm_head.decoder.weight} and the vocabulary bias {@code lm_head.bias} (RoBERTa).
 * Where a name is tied to another parameter (a tied head shares the token embeddings), the
 * parameter it points to is part of the head too.
 */
public final class OutputHead {
  /** The HF names of the output head's parameters, or of their aliases. */
  public static final List<String> NAMES =
      List.of("lm_head.weight", "lm_head.decoder.weight", "lm_head.bias", "lm_head.decoder.bias");

  private OutputHead() {}

  /** The names (in the store, after resolving ties) of {@code store}'s head parameters. */
  public static Set<String> parameterNames(ParameterStore store) {
    Set<String> out = new LinkedHashSet<>();
    for (String name : NAMES) {
      String target = store.aliases().get(name);
      if (target != null) {
        out.add(target);
      } else if (store.find(name).isPresent()) {
        out.add(name);
      }
    }
    return out;
  }
}
