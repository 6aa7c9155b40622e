package dev.tfkeras.models;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link SaveKillTest}: saves a Dense model whose weights are all {@code
 * value}, with {@code -Dtfkeras.saving.haltAt=<point>} stopping the JVM midway as a kill would.
 *
 * <p>Arguments: {@code export|weights DIR VALUE}.
 */
public final class SaveKillChild {

  private SaveKillChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    try (var model = ExportSafetyTest.model(Float.parseFloat(args[2]))) {
      if (args[0].equals("export")) {
        model.save(dir);
      } else {
        model.saveWeights(dir);
      }
    }
    System.exit(0);
  }
}
