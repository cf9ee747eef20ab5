/**
 * The picocli command line ({@code AttuneCli}: forward, generate, grzo, iapo) and the example
 * mains, packaged as {@code examples/target/attune.jar}.
 */
package ai.attune.examples;
