/**
 * What a run leaves on disk: {@code RunRecord} (resolved config, seed, versions, Java, OS, device),
 * {@code MetricsWriter} (JSONL), {@code AtomicFiles} (temporary file, fsync, rename) and {@code
 * ProgressLog} (periodic progress lines with rate and ETA).
 */
package ai.attune.core.run;
