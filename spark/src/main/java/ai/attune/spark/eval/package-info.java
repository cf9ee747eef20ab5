/**
 * {@code grzo eval} and {@code iapo eval} over Spark partitions of whole batches, with one
 * process's result.
 */
package ai.attune.spark.eval;
