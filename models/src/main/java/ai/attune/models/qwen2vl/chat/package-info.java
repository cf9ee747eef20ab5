/**
 * Qwen2.5-VL's chat format apart from the model: messages and tools rendered to the prompt text
 * with the character and token range of each input block ({@link
 * ai.attune.models.qwen2vl.chat.ChatTemplate}, {@link ai.attune.models.qwen2vl.chat.BlockKind}),
 * and generated assistant turns parsed back into tool calls ({@link
 * ai.attune.models.qwen2vl.chat.ToolCallParser}).
 */
package ai.attune.models.qwen2vl.chat;
