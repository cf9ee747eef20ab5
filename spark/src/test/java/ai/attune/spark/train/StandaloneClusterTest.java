package ai.attune.spark.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.grzo.train.GrzoTrainConfig;
import ai.attune.grzo.train.TrainResult;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel GRZO on a real standalone cluster: a Master and a Worker started from the test's
 * jars on 127.0.0.1 (loopback only), two workers in one executor of their own JVM, against one
 * process; both daemons are stopped by their process ids.
 */
@Tag("slow")
class StandaloneClusterTest {
  @TempDir Path tmp;
  private final List<Process> daemons = new ArrayList<>();

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String classPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null ? cp : System.getProperty("java.class.path");
  }

  private static List<String> opens() {
    return Arrays.asList(System.getProperty("attune.sparkOpens", "").trim().split("\\s+"));
  }

  private Process start(String name, Path sparkHome, String... args) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
    cmd.addAll(opens());
    // the daemons log at info (the test's log4j2-test.properties says warn): the test waits on
    // their "elected leader" and "registered" lines
    Path log4j = tmp.resolve("log4j2-daemon.properties");
    Files.writeString(
        log4j,
        String.join(
            "\n",
            "rootLogger.level = info",
            "rootLogger.appenderRef.stdout.ref = console",
            "appender.console.type = Console",
            "appender.console.name = console",
            "appender.console.layout.type = PatternLayout",
            "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n",
            ""));
    cmd.add("-Dlog4j2.configurationFile=" + log4j);
    cmd.addAll(List.of("-cp", classPath()));
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve(name + ".log").toFile());
    Map<String, String> env = pb.environment();
    env.put("SPARK_HOME", sparkHome.toString());
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("SPARK_SCALA_VERSION", "2.13"); // the executor launcher looks for build dirs without it
    env.put("SPARK_WORKER_DIR", tmp.resolve("work").toString());
    Process p = pb.start();
    daemons.add(p);
    return p;
  }

  @AfterEach
  void stopDaemonsByPid() throws InterruptedException {
    for (int i = daemons.size() - 1; i >= 0; i--) {
      ProcessHandle h = ProcessHandle.of(daemons.get(i).pid()).orElse(null);
      if (h == null) {
        continue;
      }
      h.descendants().forEach(ProcessHandle::destroy);
      h.destroy();
      if (!daemons.get(i).waitFor(30, TimeUnit.SECONDS)) {
        h.destroyForcibly();
      }
    }
  }

  private static void awaitLine(Path log, String text, long seconds) throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(text)) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        "no '"
            + text
            + "' in "
            + log
            + " within "
            + seconds
            + " s:\n"
            + (Files.exists(log) ? Files.readString(log) : "(no log)"));
  }

  /** The stderr of every executor the Worker launched. */
  private String executorLogs() throws IOException {
    StringBuilder sb = new StringBuilder();
    try (var files = Files.walk(tmp)) {
      for (Path f :
          files
              .filter(
                  p ->
                      p.getFileName().toString().equals("stderr")
                          || p.getFileName().toString().equals("worker.log"))
              .toList()) {
        {
          String text = Files.readString(f);
          sb.append("== ")
              .append(f)
              .append('\n')
              .append(text, Math.max(0, text.length() - 3000), text.length())
              .append('\n');
        }
      }
    }
    return sb.toString();
  }

  @Test
  void twoWorkersOnAStandaloneMasterAndWorkerMatchOneProcess() throws Exception {
    Path sparkHome = Files.createDirectories(tmp.resolve("spark-home/jars"));
    int port = freePort();
    String master = "spark://127.0.0.1:" + port;
    Process m =
        start(
            "master",
            sparkHome.getParent(),
            "org.apache.spark.deploy.master.Master",
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(port),
            "--webui-port",
            Integer.toString(freePort()));
    awaitLine(tmp.resolve("master.log"), "I have been elected leader", 120);
    Process w =
        start(
            "worker",
            sparkHome.getParent(),
            "org.apache.spark.deploy.worker.Worker",
            "--host",
            "127.0.0.1",
            "--cores",
            "2",
            "--memory",
            "2g",
            "--webui-port",
            Integer.toString(freePort()),
            master);
    awaitLine(tmp.resolve("worker.log"), "Successfully registered with master", 120);
    System.out.printf("master pid %d, worker pid %d on %s%n", m.pid(), w.pid(), master);

    String executorOptions =
        String.join(" ", opens())
            + " -Dai.djl.offline=true"
            + " -Dattune.testData="
            + SparkFixtures.data("");
    SparkConf conf =
        new SparkConf()
            .setMaster(master)
            .setAppName("attune-standalone-test")
            .set("spark.ui.enabled", "false")
            .set("spark.driver.host", "127.0.0.1")
            .set("spark.driver.bindAddress", "127.0.0.1")
            .set("spark.log.level", "WARN")
            .set("spark.executor.cores", "2")
            .set("spark.cores.max", "2")
            .set("spark.executor.memory", "1g")
            .set("spark.executor.extraClassPath", classPath().replace(":", File.pathSeparator))
            .set("spark.executor.extraJavaOptions", executorOptions);
    GrzoTrainConfig c = SparkFixtures.config(tmp.resolve("two"), "");
    SparkTrainer.Outcome two;
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      two =
          SparkTrainer.run(
              sc, c, "test", ai.attune.grzo.train.GrzoTrainer.Start.FRESH, SparkTrainOptions.of(2));
    } catch (RuntimeException e) {
      throw new AssertionError("the run failed; executor logs:\n" + executorLogs(), e);
    }
    TrainResult one = SparkTrainerTest.single(SparkFixtures.config(tmp.resolve("one"), ""));
    SparkTrainerTest.assertSameAsOneProcess("grzo on a standalone cluster", one, two);
    System.out.println("workers: " + two.workers());
    assertThat(two.workers()).allSatisfy(r -> assertThat(r.exchangeMillis()).isPositive());
  }
}
