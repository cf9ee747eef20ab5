/**
 * Data-parallel MeZO and GRZO on Spark: {@code SparkTrainer} (one barrier stage, one model per
 * task, worker 0 writes the run), {@code DataParallelWorker} (shard, exchange losses, same update
 * everywhere, weight checksums), {@code SparkTrainBench}.
 */
package ai.attune.spark.train;
