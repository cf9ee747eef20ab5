/**
 * IAPO's datasets: VQA JSONL, ReFocus' test and training sets, and seeded synthetic bar charts with
 * exact boxes and answers.
 */
package ai.attune.iapo.data;
