package ai.attune.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the code of a document and the test that runs it identical: a region of a test source
 * between the lines {@code // snippet:NAME-start} and {@code // snippet:NAME-end} must equal, once
 * its common indentation is removed, the fenced code block that follows the line {@code <!--
 * snippet:NAME -->} in the document.
 */
public final class DocSnippets {
  private DocSnippets() {}

  /** The region {@code name} of {@code source}, de-indented, one string per line. */
  public static List<String> region(Path source, String name) {
    List<String> lines = read(source);
    int start = indexOf(lines, "// snippet:" + name + "-start", source, 0);
    int end = indexOf(lines, "// snippet:" + name + "-end", source, start);
    return dedent(lines.subList(start + 1, end));
  }

  /** The fenced block after the {@code <!-- snippet:name -->} line of {@code doc}. */
  public static List<String> block(Path doc, String name) {
    List<String> lines = read(doc);
    int marker = indexOf(lines, "<!-- snippet:" + name + " -->", doc, 0);
    int open = marker + 1;
    if (open >= lines.size() || !lines.get(open).trim().startsWith("```")) {
      throw new IllegalStateException(
          doc + ": the line after <!-- snippet:" + name + " --> must open a ``` block");
    }
    int close = indexOf(lines, "```", doc, open + 1);
    return new ArrayList<>(lines.subList(open + 1, close));
  }

  private static int indexOf(List<String> lines, String marker, Path file, int from) {
    for (int i = from; i < lines.size(); i++) {
      if (lines.get(i).trim().equals(marker)) {
        return i;
      }
    }
    throw new IllegalStateException(file + ": no line '" + marker + "' after line " + (from + 1));
  }

  private static List<String> dedent(List<String> lines) {
    int indent = Integer.MAX_VALUE;
    for (String l : lines) {
      if (!l.isBlank()) {
        indent = Math.min(indent, l.length() - l.stripLeading().length());
      }
    }
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      out.add(l.isBlank() ? "" : l.substring(indent));
    }
    return out;
  }

  private static List<String> read(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
