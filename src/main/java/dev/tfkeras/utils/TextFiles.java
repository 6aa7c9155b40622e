package dev.tfkeras.utils;

import dev.tfkeras.datasets.InvalidDataFileException;
import dev.tfkeras.io.FileErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;

/**
 * Reads a text file as Keras's {@code text_dataset_from_directory} does ({@code tf.io.read_file},
 * then {@code tf.strings.substr(text, 0, max_length)} on its bytes), as a Java {@code String}: the
 * bytes must be UTF-8, and a file that is not is reported with the offset of its first bad byte
 * rather than read with replacement characters.
 */
final class TextFiles {

  private TextFiles() {}

  /** The text of {@code file} as a scalar string array, at most {@code maxLength} bytes (or all). */
  static NdArray<String> read(Path file, Integer maxLength) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(FileErrors.explain(e, "read the text file", file));
    }
    String text = decode(bytes, file);
    if (maxLength != null && bytes.length > maxLength) {
      text = truncate(text, maxLength);
    }
    return NdArrays.scalarOfObject(text);
  }

  /** Strict UTF-8 decoding; the error names the file and the offset of the first invalid byte. */
  static String decode(byte[] bytes, Path file) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int offset = in.position();
      throw new UncheckedIOException(
          new InvalidDataFileException(
              "The text file " + file + " is not valid UTF-8: byte offset " + offset + " holds 0x"
                  + String.format("%02x", bytes[offset] & 0xFF) + ", which starts no UTF-8 character"
                  + " there. Text files are read as UTF-8; convert the file (for instance iconv -f"
                  + " latin1 -t utf-8) or remove it."));
    }
    return out.flip().toString();
  }

  /** The longest prefix of {@code text} whose UTF-8 encoding has at most {@code maxBytes} bytes. */
  private static String truncate(String text, int maxBytes) {
    int bytes = 0;
    int end = 0;
    while (end < text.length()) {
      int codePoint = text.codePointAt(end);
      int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
      if (bytes + size > maxBytes) {
        break;
      }
      bytes += size;
      end += Character.charCount(codePoint);
    }
    return text.substring(0, end);
  }
}
