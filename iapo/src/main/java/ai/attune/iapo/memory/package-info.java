/**
 * {@code iapo plan}: an estimate of the GPU memory one IAPO step needs ({@link
 * ai.attune.iapo.memory.MemoryPlan}) from the models' sizes ({@link
 * ai.attune.iapo.memory.ModelSize}) and the run's settings ({@link
 * ai.attune.iapo.memory.PlanSettings}), component by component, and whether it fits a budget.
 */
package ai.attune.iapo.memory;
