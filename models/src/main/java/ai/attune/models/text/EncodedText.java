package ai.attune.models.text;

/**
 * Token ids of a text with the character range each token came from.
 *
 * <p>Offsets are Java {@code String} indices (UTF-16 units): token {@code i} covers {@code
 * text.substring(starts[i], ends[i])}. Byte-level BPE can split one character into several tokens,
 * which then share its range. The arrays are owned by this record: do not modify them.
 */
public record EncodedText(long[] ids, int[] starts, int[] ends) {
  public EncodedText {
    if (starts.length != ids.length || ends.length != ids.length) {
      throw new IllegalArgumentException("ids, starts and ends differ in length");
    }
  }

  public int size() {
    return ids.length;
  }
}
