package ai.attune.spark.train;

/**
 * The DJL settings an executor needs before its engine starts: no downloads ({@code
 * ai.djl.offline=true}: the executors get libtorch from the bundled native jar or {@code
 * DJL_CACHE_DIR}), and libtorch's intra-op threads equal to the task's {@code spark.task.cpus}, so
 * tasks sharing an executor do not oversubscribe its cores. A setting already given (a {@code -D}
 * in {@code spark.executor.extraJavaOptions}) is kept. In {@code local[N]} every task shares one
 * engine, started by the first. Training tasks and the evaluation partitions both call it.
 */
public final class ExecutorEngine {
  private ExecutorEngine() {}

  /** Sets what is not already set; call before the task's first engine use. */
  public static synchronized void configure(int taskCpus) {
    setIfAbsent("ai.djl.offline", "true");
    setIfAbsent("ai.djl.pytorch.num_threads", Integer.toString(Math.max(1, taskCpus)));
    setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
