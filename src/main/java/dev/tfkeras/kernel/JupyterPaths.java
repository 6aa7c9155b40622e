package dev.tfkeras.kernel;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Where Jupyter looks for kernelspecs, as {@code jupyter_core.paths} says: the user's data
 * directory ({@code $JUPYTER_DATA_DIR}, else {@code $XDG_DATA_HOME/jupyter} or {@code
 * ~/.local/share/jupyter} on Linux, {@code ~/Library/Jupyter} on macOS, {@code %APPDATA%\jupyter}
 * on Windows), or {@code <prefix>/share/jupyter} of a Python environment.
 */
final class JupyterPaths {

  private JupyterPaths() {}

  /** The user's Jupyter data directory. */
  static Path userDataDir(Map<String, String> env, String osName, Path home) {
    String explicit = env.get("JUPYTER_DATA_DIR");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit).toAbsolutePath();
    }
    String os = osName.toLowerCase(Locale.ROOT);
    if (os.startsWith("windows")) {
      String appData = env.get("APPDATA");
      return appData != null && !appData.isBlank()
          ? Path.of(appData, "jupyter")
          : home.resolve("AppData").resolve("Roaming").resolve("jupyter");
    }
    if (os.startsWith("mac")) {
      return home.resolve("Library").resolve("Jupyter");
    }
    String xdg = env.get("XDG_DATA_HOME");
    Path data = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".local").resolve("share");
    return data.resolve("jupyter");
  }

  /** The data directory of the Python environment at {@code prefix} (a venv, a conda env). */
  static Path prefixDataDir(Path prefix) {
    return prefix.toAbsolutePath().resolve("share").resolve("jupyter");
  }

  /** The directory of the kernelspec {@code name} under a data directory. */
  static Path kernelDir(Path dataDir, String name) {
    return dataDir.resolve("kernels").resolve(name);
  }
}
