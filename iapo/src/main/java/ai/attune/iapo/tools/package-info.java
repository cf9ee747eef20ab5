/**
 * Tools as a registry of named functions with a JSON-schema description ({@code Tool}, {@code
 * ToolRegistry}); bad arguments, unknown tools and failures become tool-error results, never
 * exceptions that end a run.
 */
package ai.attune.iapo.tools;
