package dev.tfkeras.saving;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Named points between the steps of a save, where fault tests stop or break it. Without a test
 * setting one, {@link #reach} does nothing.
 *
 * <ul>
 *   <li>{@code -Dtfkeras.saving.haltAt=<point>} halts the JVM at that point as a kill would (no
 *       shutdown hooks, no {@code finally}), for crash tests in a child JVM;
 *   <li>{@link #inject} runs an action at a point in this JVM (e.g. throws the IOException of a
 *       full disk, or replaces a file), for failure tests.
 * </ul>
 */
public final class SavePoints {

  /** System property naming the point where the JVM halts. */
  public static final String HALT_PROPERTY = "tfkeras.saving.haltAt";
  /** Exit status of a halt at a save point. */
  public static final int HALT_STATUS = 86;

  /** A weights archive's {@code .part} file is created and locked, nothing written yet. */
  public static final String WEIGHTS_PART_CREATED = "weights.part-created";
  /** The first array of a weights archive is written to its {@code .part} file. */
  public static final String WEIGHTS_FIRST_ENTRY = "weights.first-entry-written";
  /** The {@code .part} file is complete and on disk, not yet moved over the archive. */
  public static final String WEIGHTS_PART_COMPLETE = "weights.part-complete";
  /** An export's staging directory is created, empty. */
  public static final String EXPORT_STAGING_CREATED = "export.staging-created";
  /** The SavedModel is written into the staging directory, weights.npz not yet. */
  public static final String EXPORT_SAVED_MODEL_WRITTEN = "export.saved-model-written";
  /** The staging directory is complete (marker written); the old export is still in place. */
  public static final String EXPORT_STAGING_COMPLETE = "export.staging-complete";
  /** The old export is moved aside; the target path is empty. */
  public static final String EXPORT_OLD_ASIDE = "export.old-aside";
  /** The new export is in place; the old one is still aside. */
  public static final String EXPORT_NEW_IN_PLACE = "export.new-in-place";
  /** The first file of the old export is deleted, the rest not yet. */
  public static final String EXPORT_OLD_PARTLY_DELETED = "export.old-partly-deleted";

  /** Something a test does at a point; {@code path} is the file or directory the step concerns. */
  @FunctionalInterface
  public interface Action {
    void run(Path path) throws IOException;
  }

  private record Injection(String point, Action action) {}

  private static volatile Injection injection;

  private SavePoints() {}

  /**
   * Runs {@code action} whenever a save in this JVM reaches {@code point}, until the returned handle
   * is closed. One injection at a time; for tests.
   */
  public static AutoCloseable inject(String point, Action action) {
    Injection mine = new Injection(point, action);
    injection = mine;
    return () -> {
      if (injection == mine) {
        injection = null;
      }
    };
  }

  /** Called by the saving code at {@code point}: halts or runs the injected action if a test asked. */
  public static void reach(String point, Path path) throws IOException {
    if (point.equals(System.getProperty(HALT_PROPERTY))) {
      Runtime.getRuntime().halt(HALT_STATUS);
    }
    Injection current = injection;
    if (current != null && current.point().equals(point)) {
      current.action().run(path);
    }
  }
}
