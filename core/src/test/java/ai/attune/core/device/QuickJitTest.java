package ai.attune.core.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code -Dattune.jit}: with {@code quick} (the command line's default) C2 compiles nothing and C1
 * compiles the hot method instead, as {@code -XX:+PrintCompilation} of a fresh JVM shows; with
 * {@code full}, or where the JVM's own options decide, Attune adds nothing.
 */
@Tag("pure")
class QuickJitTest {
  /**
   * A {@code -XX:+PrintCompilation} line of the probe's hot method (time stamp, compile id, flags,
   * tier, method): its tier is group 1.
   */
  private static final Pattern HOT =
      Pattern.compile(
          "^\\s*\\d+\\s+\\d+\\s[\\s%sbn!]*([0-4])\\s+ai\\.attune\\.core\\.device\\.QuickJitProbe::hot\\s");

  private static List<Integer> tiers(List<String> out) {
    return out.stream()
        .map(HOT::matcher)
        .filter(Matcher::find)
        .map(m -> Integer.parseInt(m.group(1)))
        .collect(Collectors.toList());
  }

  /**
   * The probe printed {@code text}. The JVM prints its compilation lines on the same stream in
   * pieces, so a line of the probe's may follow the start of one of them: found anywhere in a line.
   */
  private static void assertPrinted(List<String> out, String text) {
    assertThat(out).as("the probe's output").anyMatch(l -> l.contains(text));
  }

  private static List<String> probe(String... jvmOptions) throws Exception {
    return ProbeJvm.run(
        QuickJitProbe.class,
        Stream.concat(Stream.of("-XX:+PrintCompilation"), Stream.of(jvmOptions))
            .toArray(String[]::new));
  }

  @Test
  void quickKeepsC2OffAndC1CompilesTheHotMethod() throws Exception {
    List<String> out = probe();
    assertPrinted(out, "decision true C2 kept off");
    assertThat(tiers(out)).contains(1).doesNotContain(4);
    assertThat(out)
        .anyMatch(l -> l.contains("QuickJitProbe::hot") && l.contains("not compilable on level 4"));
    assertPrinted(out, "sum " + QuickJitProbe.expectedSum());
  }

  @Test
  void fullLeavesC2On() throws Exception {
    List<String> out = probe("-D" + QuickJit.PROPERTY + "=full");
    assertPrinted(out, "decision false C2 on (-Dattune.jit=full)");
    assertThat(tiers(out)).contains(4);
    assertPrinted(out, "sum " + QuickJitProbe.expectedSum());
  }

  @Test
  void theJvmsOwnOptionsWin() throws Exception {
    List<String> c1Only = probe("-XX:TieredStopAtLevel=1");
    assertPrinted(
        c1Only, "decision true C1 only, by the JVM's own options (-XX:TieredStopAtLevel=1)");
    assertPrinted(c1Only, "sum " + QuickJitProbe.expectedSum());
    List<String> c2Only = probe("-XX:-TieredCompilation");
    assertPrinted(c2Only, "decision false C2 on: tiered compilation is off");
    assertPrinted(c2Only, "sum " + QuickJitProbe.expectedSum());
  }

  @Test
  void modesParseAndAnythingElseIsRefusedNamingTheProperty() {
    assertThat(QuickJit.Mode.parse(" Quick ")).isEqualTo(QuickJit.Mode.QUICK);
    assertThat(QuickJit.Mode.parse("FULL")).isEqualTo(QuickJit.Mode.FULL);
    assertThatThrownBy(() -> QuickJit.Mode.parse("c1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-Dattune.jit=c1")
        .hasMessageContaining("quick")
        .hasMessageContaining("full");
  }
}
