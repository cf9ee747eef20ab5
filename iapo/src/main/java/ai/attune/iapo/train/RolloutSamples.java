package ai.attune.iapo.train;

import ai.attune.core.config.Mappers;
import ai.attune.core.run.AtomicFiles;
import ai.attune.iapo.data.VqaExample;
import ai.attune.iapo.rollout.Rollout;
import ai.attune.iapo.rollout.ToolCallRecord;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Writes rollouts for people to read, into one folder (replaced atomically): for rollout i, {@code
 * sample-<i>.md} (question, gold and given answer, how it ended, every tool call with its result,
 * the conversation with image-pad runs shortened, and links to the images), {@code
 * sample-<i>-input-<k>.png} (the question's images) and {@code sample-<i>-call-<j>.png} (each image
 * a tool call returned and the model was shown); {@code samples.json} holds the same facts for
 * programs.
 */
public final class RolloutSamples {
  private RolloutSamples() {}

  /**
   * @param examples the examples the rollouts came from (looked up by id, for the question and its
   *     images)
   */
  public static void write(Path dir, List<Rollout> rollouts, List<VqaExample> examples)
      throws IOException {
    Map<String, VqaExample> byId = new HashMap<>();
    examples.forEach(e -> byId.putIfAbsent(e.id(), e));
    List<Rendered> rendered = new ArrayList<>();
    for (int i = 0; i < rollouts.size(); i++) {
      Rollout r = rollouts.get(i);
      rendered.add(render(i, r, byId.get(r.exampleId())));
    }
    write(dir, rendered);
  }

  /** Writes rendered samples, in order, as the folder {@link #write(Path, List, List)} writes. */
  public static void write(Path dir, List<Rendered> samples) throws IOException {
    AtomicFiles.writeDirectory(
        dir,
        tmp -> {
          ArrayNode all = Mappers.json().createArrayNode();
          for (Rendered s : samples) {
            for (Map.Entry<String, byte[]> f : s.files().entrySet()) {
              Files.write(tmp.resolve(f.getKey()), f.getValue());
            }
            all.add(Mappers.json().readTree(s.entryJson()));
          }
          Mappers.json().writeValue(tmp.resolve("samples.json").toFile(), all);
        });
  }

  /**
   * Rollout {@code i} rendered for reading: the files {@code sample-<i>*} and its entry of {@code
   * samples.json}.
   *
   * @param example the example it came from; null leaves out the question and its images
   */
  public static Rendered render(int i, Rollout r, VqaExample example) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try {
      ObjectNode entry = sample(files, i, r, example);
      return new Rendered(Mappers.json().writeValueAsString(entry), files);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render rollout sample " + i, e);
    }
  }

  /**
   * One rollout rendered for reading, held in memory so that it can be made in one place and
   * written in another (the executors and the driver of a distributed evaluation).
   *
   * @param entryJson its entry of {@code samples.json}, as JSON text
   * @param files its files by name, in the order they were made: {@code sample-<i>.md} and its PNGs
   */
  public record Rendered(String entryJson, Map<String, byte[]> files) implements Serializable {
    public Rendered {
      files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
    }

    /** Equal when the entry and every file's name and bytes are. */
    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Rendered r)
          || !entryJson.equals(r.entryJson)
          || !files.keySet().equals(r.files.keySet())) {
        return false;
      }
      return files.keySet().stream().allMatch(f -> Arrays.equals(files.get(f), r.files.get(f)));
    }

    @Override
    public int hashCode() {
      return entryJson.hashCode() * 31 + files.keySet().hashCode();
    }
  }

  private static ObjectNode sample(Map<String, byte[]> files, int i, Rollout r, VqaExample e)
      throws IOException {
    String prefix = "sample-" + i;
    ObjectNode o = Mappers.json().createObjectNode();
    StringBuilder md =
        new StringBuilder("# Rollout ").append(i).append(": ").append(r.exampleId()).append("\n\n");
    o.put("example_id", r.exampleId());
    if (e != null) {
      o.put("question", e.question());
      o.put("gold_answer", e.answer());
      md.append("**Question:** ")
          .append(e.question())
          .append("  \n**Gold answer:** ")
          .append(e.answer())
          .append("  \n");
      List<BufferedImage> inputs = e.loadImages();
      for (int k = 0; k < inputs.size(); k++) {
        String name = prefix + "-input-" + k + ".png";
        files.put(name, png(name, inputs.get(k)));
        md.append("![input ").append(k).append("](").append(name).append(")  \n");
      }
    }
    o.put("final_answer", r.finalAnswer());
    o.put("end", r.end().toString());
    o.put("turns", r.turnCount());
    md.append("**Final answer:** ")
        .append(r.finalAnswer() == null ? "(none)" : r.finalAnswer())
        .append("  \n**Ended:** ")
        .append(r.end())
        .append(", ")
        .append(r.turnCount())
        .append(" turn(s), ")
        .append(r.trajectory().length())
        .append(" tokens\n\n## Tool calls\n\n");
    ArrayNode calls = o.putArray("tool_calls");
    for (int j = 0; j < r.toolCalls().size(); j++) {
      ToolCallRecord c = r.toolCalls().get(j);
      ObjectNode call = calls.addObject();
      call.put("turn", c.turn());
      call.put("text", c.text());
      call.put("ok", c.ok());
      call.put("result", c.ok() ? c.result().text() : c.error());
      md.append(j + 1)
          .append(". turn ")
          .append(c.turn())
          .append(", ")
          .append(c.ok() ? "ok" : "error")
          .append(": `")
          .append(c.text().replace("\n", " "))
          .append("` → ")
          .append(c.ok() ? c.result().text() : c.error())
          .append('\n');
      if (c.ok() && c.result().image() != null && c.imageIndex() >= 0) {
        String name = prefix + "-call-" + j + ".png";
        files.put(name, png(name, c.result().image()));
        call.put("image", name);
        md.append("   ![call ").append(j).append("](").append(name).append(")\n");
      }
    }
    if (r.toolCalls().isEmpty()) {
      md.append("(none)\n");
    }
    o.put("conversation", r.text());
    md.append("\n## Conversation\n\n```\n").append(r.text()).append("\n```\n");
    files.put(prefix + ".md", md.toString().getBytes(StandardCharsets.UTF_8));
    return o;
  }

  private static byte[] png(String name, BufferedImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(image, "png", out)) {
      throw new IOException("no PNG writer for " + name);
    }
    return out.toByteArray();
  }
}
