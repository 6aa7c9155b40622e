package dev.tfkeras.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The shared .npy header: written as numpy (and {@link Npy}) writes it, read back, checked. */
class NpyHeaderTest {

  private static byte[] header(String descr, long... shape) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    NpyHeader.write(out, descr, shape);
    return out.toByteArray();
  }

  @Test
  void writesTheHeaderNpyWritesBeforeTheSameArray() throws IOException {
    long[] shape = {3, 28, 28};
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    Npy.write(new Npy.Array(Npy.DType.UINT8, shape, ByteBuffer.allocate(3 * 784)), whole);
    byte[] header = header("|u1", shape);
    assertEquals(0, header.length % 64, "data starts 64-byte aligned");
    assertArrayEquals(Arrays.copyOf(whole.toByteArray(), header.length), header);
    byte[] vector = header("<i4", 5);
    assertTrue(new String(vector, 10, vector.length - 10, "ISO-8859-1").contains("'shape': (5,)"), "a 1-tuple");
  }

  @Test
  void readsBackWhatItWroteAndLeavesTheStreamAtTheData() throws IOException {
    byte[] header = header(">f8", 4, 2);
    byte[] file = Arrays.copyOf(header, header.length + 64);
    file[header.length] = 42;
    InputStream in = new ByteArrayInputStream(file);
    NpyHeader read = NpyHeader.read(in, "a.npy", IOException::new);
    assertEquals(">f8", read.descr());
    assertFalse(read.fortranOrder());
    assertArrayEquals(new long[] {4, 2}, read.shape());
    assertEquals(header.length, read.dataOffset());
    assertEquals(8, read.valueCount());
    assertEquals(64, read.dataBytes(8));
    assertEquals(42, in.read(), "the stream is at the first data byte");
    assertEquals("shape [4, 2] of dtype '>f8'", read.describe());
    read.requireData(8, 64);
    assertEquals(
        "a.npy is truncated: shape [4, 2] of dtype '>f8' needs 64 data bytes, received: 63",
        assertThrows(IOException.class, () -> read.requireData(8, 63)).getMessage());
    NpyHeader same = NpyHeader.read(new ByteArrayInputStream(file), "b.npy", IOException::new);
    assertTrue(read.sameArray(same));
    assertFalse(read.sameArray(NpyHeader.read(new ByteArrayInputStream(header("<f8", 4, 2)), "c", IOException::new)));
  }

  /** The exception type is the caller's: datasets' readers make InvalidDataFileException. */
  @Test
  void malformedHeadersFailWithTheCallersExceptionType() {
    class Invalid extends IOException {
      Invalid(String message) {
        super(message);
      }
    }
    byte[] version9 = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 9, 0};
    Invalid e =
        assertThrows(Invalid.class, () -> NpyHeader.read(new ByteArrayInputStream(version9), "v9.npy", Invalid::new));
    assertEquals("v9.npy uses .npy format version 9.0, expected 1.x, 2.x or 3.x", e.getMessage());
    assertEquals(
        "short.npy is truncated: it ends before the .npy magic string and version (3 of 8 bytes)",
        assertThrows(Invalid.class, () -> NpyHeader.read(new ByteArrayInputStream(new byte[3]), "short.npy", Invalid::new))
            .getMessage());
  }
}
