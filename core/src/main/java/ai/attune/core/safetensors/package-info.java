/**
 * The project's own safetensors reader and writer: headers parsed and validated up front (dtypes,
 * shapes, offsets), one memory map per tensor, sharded indexes, bfloat16 widened to float32 in
 * Java, atomic HF-compatible writes.
 */
package ai.attune.core.safetensors;
