package dev.tfkeras.utils;

/**
 * The options of {@link Utils#textDatasetFromDirectory(java.nio.file.Path, TextDatasetOptions)},
 * Keras's keyword arguments of {@code text_dataset_from_directory} with their defaults.
 */
public final class TextDatasetOptions extends FilesDatasetOptions<TextDatasetOptions> {

  Integer maxLength;

  /** Keras's defaults: inferred int labels, batches of 32, shuffled, whole texts. */
  public TextDatasetOptions() {
    super("text files");
  }

  /**
   * The most UTF-8 bytes kept of each text (default null: all), as Keras's {@code max_length}
   * ({@code tf.strings.substr(text, 0, max_length)}); a character cut by the limit is dropped whole.
   *
   * @throws IllegalArgumentException if not positive
   */
  public TextDatasetOptions maxLength(Integer maxLength) {
    if (maxLength != null && maxLength <= 0) {
      throw new IllegalArgumentException(
          "`max_length` must be a positive integer or null, received: max_length=" + maxLength);
    }
    this.maxLength = maxLength;
    return this;
  }
}
