package ai.attune.iapo.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.config.ConfigYaml;
import ai.attune.core.run.RunFolder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("pure")
class ResumeCheckTest {
  @TempDir Path tmp;

  private final IapoTrainConfig config = IapoTrainConfig.parse(IapoTrainConfigTest.MINIMAL, "test");

  @Test
  void aCheckpointOfTheSameConfigResumes() throws Exception {
    assertThat(ResumeCheck.changedTrajectory(config, checkpoint(config.toYaml()))).isNull();
  }

  @Test
  void defaultsAnOlderVersionWroteAsNullAreNoChange() throws Exception {
    // before the rollout and grpo settings were bound onto their records, config.yaml held null
    // for the default system prompt and for epsilon_high = epsilon
    ObjectNode tree = (ObjectNode) ConfigYaml.MAPPER.readTree(config.toYaml());
    ((ObjectNode) tree.get("rollout")).putNull("system_prompt");
    ((ObjectNode) tree.get("grpo")).putNull("epsilon_high");
    String older = ConfigYaml.MAPPER.writeValueAsString(tree);
    assertThat(older).contains("system_prompt: null").contains("epsilon_high: null");
    assertThat(ResumeCheck.changedTrajectory(config, checkpoint(older))).isNull();
  }

  @Test
  void aChangedTrajectorySettingIsNamed() throws Exception {
    IapoTrainConfig other =
        IapoTrainConfig.parse(IapoTrainConfigTest.MINIMAL + "rollout: {group_size: 6}\n", "test");
    assertThat(ResumeCheck.changedTrajectory(other, checkpoint(config.toYaml())))
        .contains("rollout.group_size (was 4, now 6)");
  }

  private Path checkpoint(String yaml) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("step-000001"));
    Files.writeString(dir.resolve(RunFolder.CONFIG), yaml);
    return dir;
  }
}
