/**
 * {@code Exchange}: the per-step all-gather among data-parallel workers, over TCP ({@code
 * TcpExchange}, connected after one Spark barrier rendezvous) or among threads ({@code
 * InProcessExchange}).
 */
package ai.attune.spark.exchange;
