/**
 * OPT: configuration (pre- and post-LN, {@code project_in}/{@code project_out}), decoder layers and
 * the causal LM.
 */
package ai.attune.models.opt;
