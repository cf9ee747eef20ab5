package ai.attune.models;

import java.util.List;

/**
 * What callers of any {@link LanguageModel} need to know: its architecture name, vocabulary size,
 * depth and special token ids.
 */
public record ModelInfo(
    String modelType,
    int vocabSize,
    int numLayers,
    int hiddenSize,
    List<Integer> eosTokenIds,
    int padTokenId,
    int bosTokenId) {

  public ModelInfo {
    eosTokenIds = List.copyOf(eosTokenIds);
    if (vocabSize <= 0 || numLayers <= 0 || hiddenSize <= 0) {
      throw new IllegalArgumentException("vocabSize, numLayers and hiddenSize must be positive");
    }
  }
}
