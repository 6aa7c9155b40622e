package dev.tfkeras.saving.keras;

import dev.tfkeras.models.Model;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Keras files in: {@link #load(Path)} is Keras's {@code keras.models.load_model("model.keras")}.
 *
 * <pre>{@code
 * try (Model model = KerasFiles.load(Path.of("mnist_model.keras"))) {
 *   float[][] probabilities = model.predict(images);
 * }
 * }</pre>
 */
public final class KerasFiles {

  private KerasFiles() {}

  /**
   * The model saved in a Keras 3 {@code .keras} file, with its weights, ready for {@code predict}
   * or {@code evaluate} after {@code compile}. Not read yet: the compile config and optimizer state,
   * legacy {@code .h5} files, custom objects.
   *
   * @throws KerasFormatException if the file is damaged, of a format not read yet, or describes a
   *     model tfkeras cannot build; the message names the file and the part or layer
   */
  public static Model load(Path file) throws IOException {
    try (KerasArchive archive = KerasArchive.open(file)) {
      return KerasModelReader.read(archive);
    }
  }
}
