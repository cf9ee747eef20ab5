package ai.attune.iapo.rollout;

import ai.attune.models.generation.FinishReason;
import ai.attune.models.qwen2vl.chat.ParsedAssistantTurn;

/**
 * One assistant turn of a rollout.
 *
 * @param index 0-based
 * @param tokenStart first generated token in the rollout's sequence
 * @param tokenEnd one past the last generated token (its stop token included)
 * @param text the generated tokens decoded
 * @param finish whether it stopped on a stop token or at the token limit
 * @param parsed its tool calls, text and final answer
 * @param environmentEnd one past the last token of the environment's piece appended after it (tool
 *     results and the next generation prompt); equal to {@code tokenEnd} when none was
 */
public record TurnRecord(
    int index,
    int tokenStart,
    int tokenEnd,
    String text,
    FinishReason finish,
    ParsedAssistantTurn parsed,
    int environmentEnd) {}
