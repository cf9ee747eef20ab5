/**
 * Where and in what precision tensors live: {@code Engines} starts the DJL PyTorch engine offline,
 * {@code DevicePolicy} resolves {@code auto|cpu|gpu}, and {@code ComputeDtype} is float32 or
 * float16 (bfloat16 compute is refused because the engine aborts the JVM on bfloat16 tensors).
 */
package ai.attune.core.device;
