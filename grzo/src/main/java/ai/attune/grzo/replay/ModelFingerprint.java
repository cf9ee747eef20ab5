package ai.attune.grzo.replay;

import ai.attune.core.params.Parameter;
import ai.attune.models.LanguageModel;
import ai.djl.ndarray.NDArray;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * What identifies the weights a seed log was trained from: every parameter's name and shape, in
 * declaration order, and a content hash (SHA-256 over each parameter's name, dtype and the CRC-32C
 * of its bytes, as the model holds them after loading). Two models with the same fingerprint give
 * the same replay; {@link #difference} names the first thing that tells two apart.
 *
 * @param parameters parameter name to shape, e.g. {@code "model.decoder.embed_tokens.weight" ->
 *     [512, 16]}, in declaration order
 * @param contentSha256 hex SHA-256 of the parameters' contents
 */
public record ModelFingerprint(Map<String, List<Long>> parameters, String contentSha256) {

  public ModelFingerprint {
    Objects.requireNonNull(contentSha256, "contentSha256");
    parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  /**
   * The fingerprint of {@code model} as it is now. Copies one parameter at a time to the host (on a
   * GPU, one transfer of the whole model).
   */
  public static ModelFingerprint of(LanguageModel model) {
    MessageDigest sha = sha256();
    Map<String, List<Long>> shapes = new LinkedHashMap<>();
    for (Parameter p : model.parameters().parameters().values()) {
      shapes.put(p.name(), Arrays.stream(p.shape().getShape()).boxed().toList());
      NDArray v = p.value();
      ByteBuffer bytes = v.toByteBuffer();
      CRC32C crc = new CRC32C();
      crc.update(bytes);
      sha.update(
          (p.name() + "\0" + v.getDataType() + "\0" + crc.getValue() + "\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    return new ModelFingerprint(shapes, HexFormat.of().formatHex(sha.digest()));
  }

  /**
   * The first difference between the model a log was trained from ({@code this}) and another, in
   * words, or null when they are the same.
   */
  public String difference(ModelFingerprint other) {
    for (Map.Entry<String, List<Long>> e : parameters.entrySet()) {
      List<Long> shape = other.parameters.get(e.getKey());
      if (shape == null) {
        return "the log's model has parameter "
            + e.getKey()
            + " "
            + e.getValue()
            + ", this model has none";
      }
      if (!shape.equals(e.getValue())) {
        return "parameter "
            + e.getKey()
            + " is "
            + e.getValue()
            + " in the log's model, "
            + shape
            + " in this one";
      }
    }
    for (Map.Entry<String, List<Long>> e : other.parameters.entrySet()) {
      if (!parameters.containsKey(e.getKey())) {
        return "this model has parameter "
            + e.getKey()
            + " "
            + e.getValue()
            + ", the log's model has none";
      }
    }
    if (!contentSha256.equals(other.contentSha256)) {
      return "the parameters have the same names and shapes but different values (content"
          + " hash "
          + abbreviate(contentSha256)
          + " in the log, "
          + abbreviate(other.contentSha256)
          + " for this model)";
    }
    return null;
  }

  private static String abbreviate(String hash) {
    return hash.length() > 12 ? hash.substring(0, 12) : hash;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
