/**
 * Qwen2.5-VL: the vision tower, M-RoPE positions, the image processor (resize, normalise,
 * patchify), the chat template with image and tool blocks, and the tool-call parser.
 */
package ai.attune.models.qwen2vl;
