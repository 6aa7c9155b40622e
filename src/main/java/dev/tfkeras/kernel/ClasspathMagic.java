package dev.tfkeras.kernel;

import dev.tfkeras.kernel.CellException.CompilationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * IJava's {@code %classpath} line magic: lines at the start of a cell such as {@code %classpath
 * lib/extra.jar ~/classes build/libs/*} add jars and class directories to the class path of the
 * cells that follow ({@code dir/*} means every jar in {@code dir}, as with {@code java -cp};
 * relative paths are relative to the notebook's directory, where Jupyter starts the kernel).
 * Classes the kernel already has are not replaced.
 */
final class ClasspathMagic {

  static final String NAME = "%classpath";

  private ClasspathMagic() {}

  /**
   * Applies the magic lines at the start of {@code cell}, passing each entry to {@code
   * addToClasspath}, and returns the rest of the cell.
   *
   * @throws CompilationException for an unknown magic, a missing path or no path at all
   */
  static String apply(String cell, Consumer<String> addToClasspath) {
    String rest = cell;
    while (true) {
      String stripped = rest.stripLeading();
      if (!stripped.startsWith("%")) {
        return rest;
      }
      int end = stripped.indexOf('\n');
      String line = (end < 0 ? stripped : stripped.substring(0, end)).strip();
      rest = end < 0 ? "" : stripped.substring(end + 1);
      List<String> words = List.of(line.split("\\s+"));
      if (!words.get(0).equals(NAME)) {
        throw new CompilationException(
            "Unknown magic " + words.get(0) + ": this kernel knows only " + NAME
                + " (adds jars and class directories to the class path).",
            List.of(line));
      }
      if (words.size() == 1) {
        throw new CompilationException(
            NAME + " needs at least one jar or class directory, e.g. " + NAME + " lib/*", List.of(line));
      }
      List<String> added = new ArrayList<>();
      for (String word : words.subList(1, words.size())) {
        added.addAll(entries(word, line));
      }
      added.forEach(addToClasspath);
      System.out.println("Added to the class path: " + String.join(", ", added));
    }
  }

  private static List<String> entries(String word, String line) {
    String expanded = word.equals("~") || word.startsWith("~/") ? System.getProperty("user.home") + word.substring(1) : word;
    boolean allJars = expanded.endsWith("/*") || expanded.equals("*");
    Path path = Path.of(allJars ? expanded.substring(0, expanded.length() - 1) : expanded).toAbsolutePath().normalize();
    if (!Files.exists(path)) {
      throw new CompilationException(
          NAME + ": " + path + " does not exist. Give an existing jar or class directory (relative paths start"
              + " at the notebook's directory, " + Path.of("").toAbsolutePath() + ").",
          List.of(line));
    }
    if (!allJars) {
      return List.of(path.toString());
    }
    try (Stream<Path> files = Files.list(path)) {
      List<String> jars =
          files.filter(f -> f.getFileName().toString().endsWith(".jar")).map(Path::toString).sorted().toList();
      if (jars.isEmpty()) {
        throw new CompilationException(NAME + ": " + path + " holds no .jar files.", List.of(line));
      }
      return jars;
    } catch (IOException e) {
      throw new CompilationException(NAME + ": cannot list " + path + ": " + e.getMessage(), List.of(line));
    }
  }
}
