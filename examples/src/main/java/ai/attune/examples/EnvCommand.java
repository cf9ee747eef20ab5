package ai.attune.examples;

import ai.attune.core.device.EngineReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code attune env}: the engine, the libtorch it loaded and its flavour, the CUDA devices, the
 * thread pools and the native libraries in the process (see {@code docs/gpu.md}).
 */
@Command(
    name = "env",
    mixinStandardHelpOptions = true,
    description =
        "Starts the PyTorch engine and prints its version, the libtorch folder and flavour"
            + " (cpu, cu128, ...), the CUDA devices it sees, its threads, the native libraries it"
            + " loaded and the PYTORCH_* variables that chose them.")
final class EnvCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    EngineReport.capture().lines().forEach(spec.commandLine().getOut()::println);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
