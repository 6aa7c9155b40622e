package dev.tfkeras.datasets;

import dev.tfkeras.io.FileErrors;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads named arrays from a NumPy {@code .npz} file (a zip of {@code <key>.npy} entries, stored
 * or deflated), such as Keras' {@code mnist.npz}. Arrays must hold integers in 0..255.
 */
public final class NpzReader {

  private NpzReader() {}

  /**
   * Reads the arrays named {@code keys}, returned in that order.
   *
   * @throws InvalidDataFileException naming the file if it is not a zip, lacks a key, or an array
   *     is malformed or of an unsupported dtype
   */
  public static Map<String, UInt8Array> read(Path file, String... keys) throws IOException {
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (ZipException | EOFException e) {
      throw new InvalidDataFileException(
          "file " + file + " is not a valid .npz (zip) archive: "
              + (e.getMessage() != null ? e.getMessage() : "it is empty or truncated"),
          e);
    } catch (IOException e) {
      throw FileErrors.explain(e, "read", file);
    }
    try (zip) {
      Map<String, UInt8Array> arrays = new LinkedHashMap<>();
      for (String key : keys) {
        ZipEntry entry = zip.getEntry(key + ".npy");
        if (entry == null) {
          throw new InvalidDataFileException(
              "file "
                  + file
                  + " has no array '"
                  + key
                  + "' (expected an entry "
                  + key
                  + ".npy), it holds: "
                  + keysOf(zip));
        }
        String source = entry.getName() + " in " + file;
        CRC32 crc = new CRC32();
        try (InputStream in =
            new CheckedInputStream(new BufferedInputStream(zip.getInputStream(entry), 1 << 16), crc)) {
          arrays.put(key, NpyReader.read(in, source, entry.getSize()));
        } catch (ZipException | EOFException e) {
          throw new InvalidDataFileException(source + " is corrupt: " + e.getMessage(), e);
        }
        if (crc.getValue() != entry.getCrc()) {
          throw new InvalidDataFileException(
              source + " is corrupt: it fails its CRC-32 check (stored "
                  + String.format("0x%08x", entry.getCrc()) + ", computed "
                  + String.format("0x%08x", crc.getValue()) + "); delete it and fetch it again");
        }
      }
      return Collections.unmodifiableMap(arrays);
    }
  }

  private static List<String> keysOf(ZipFile zip) {
    List<String> keys = new ArrayList<>();
    zip.stream()
        .map(ZipEntry::getName)
        .map(name -> name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name)
        .forEach(keys::add);
    return keys;
  }
}
