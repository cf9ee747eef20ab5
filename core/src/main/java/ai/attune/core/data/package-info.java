/**
 * What every data file reader shares: {@link ai.attune.core.data.JsonLines} (a JSONL line as a JSON
 * object) and {@link ai.attune.core.data.DatasetException} (the file, line or entry, and field at
 * fault).
 */
package ai.attune.core.data;
