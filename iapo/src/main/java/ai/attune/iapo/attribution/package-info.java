/**
 * IAPO's input attribution and teacher alignment (iapo.md §3): {@link
 * ai.attune.iapo.attribution.BlockAttribution} attributes a rollout's tool-call (or response)
 * log-probability to the prompt's input blocks (system P, question R, image I, tool definitions T,
 * tool outputs O) by integrated gradients or gradient×input; {@link
 * ai.attune.iapo.attribution.Divergence} compares two block distributions; {@link
 * ai.attune.iapo.attribution.TeacherAlignment} runs the student and a frozen teacher on the same
 * rollout and gives the penalty D of the shaped reward r_out − λ D.
 */
package ai.attune.iapo.attribution;
