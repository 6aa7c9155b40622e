package dev.tfkeras.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The npy codec against the bytes numpy writes ({@code np.save} of the same arrays, numpy 1.x/2.x
 * header layout: 10 bytes of magic, version and length, a dict padded with spaces so that the data
 * starts at a multiple of 64, then C-order little-endian data).
 */
class NpyTest {

  private static final String SOURCE = "weights.npz:d1/kernel.npy";

  private static byte[] write(Npy.Array array) throws IOException {
    var out = new ByteArrayOutputStream();
    Npy.write(array, out);
    return out.toByteArray();
  }

  private static Npy.Array read(byte[] bytes) throws IOException {
    return Npy.read(new ByteArrayInputStream(bytes), SOURCE);
  }

  /** What numpy writes for a header dict and data (version 1.0, 64-byte aligned). */
  private static byte[] numpyBytes(String dict, byte[] data) {
    int unpadded = 10 + dict.length() + 1;
    String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
    var out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    out.write(header.length() & 0xff);
    out.write(header.length() >> 8);
    out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(data);
    return out.toByteArray();
  }

  private static byte[] floats(float... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return b.array();
  }

  private static byte[] longs(long... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      b.putLong(v);
    }
    return b.array();
  }

  private static byte[] bytesOf(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.get(out);
    return out;
  }

  private static void assertRoundTrip(Npy.Array array, String dict, byte[] data) throws IOException {
    byte[] written = write(array);
    assertArrayEquals(numpyBytes(dict, data), written, "bytes as numpy writes them for " + dict);
    assertEquals(0, (written.length - data.length) % 64, "data starts 64-byte aligned");
    Npy.Array back = read(written);
    assertEquals(array.type(), back.type());
    assertArrayEquals(array.shape(), back.shape());
    assertArrayEquals(data, bytesOf(back.data()));
  }

  @Test
  void float32MatrixRoundTripsInNumpyLayout() throws IOException {
    byte[] data = floats(1.5f, -2f, 0f, Float.MIN_VALUE, Float.MAX_VALUE, -0f);
    assertRoundTrip(
        new Npy.Array(Npy.DType.FLOAT32, new long[] {2, 3}, ByteBuffer.wrap(data)),
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
        data);
  }

  @Test
  void int64ScalarRoundTripsWithEmptyShape() throws IOException {
    byte[] data = longs(5);
    assertRoundTrip(
        new Npy.Array(Npy.DType.INT64, new long[0], ByteBuffer.wrap(data)),
        "{'descr': '<i8', 'fortran_order': False, 'shape': (), }",
        data);
    byte[] big = longs(Long.MIN_VALUE);
    Npy.Array back = read(write(new Npy.Array(Npy.DType.INT64, new long[0], ByteBuffer.wrap(big))));
    assertEquals(Long.MIN_VALUE, back.data().getLong());
  }

  @Test
  void uint8VectorRoundTripsWithOneElementTupleShape() throws IOException {
    byte[] data = {0, 1, (byte) 255};
    assertRoundTrip(
        new Npy.Array(Npy.DType.UINT8, new long[] {3}, ByteBuffer.wrap(data)),
        "{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }",
        data);
  }

  @Test
  void float32ScalarAndEmptyVectorRoundTrip() throws IOException {
    assertRoundTrip(
        new Npy.Array(Npy.DType.FLOAT32, new long[0], ByteBuffer.wrap(floats(3.25f))),
        "{'descr': '<f4', 'fortran_order': False, 'shape': (), }",
        floats(3.25f));
    assertRoundTrip(
        new Npy.Array(Npy.DType.FLOAT32, new long[] {0}, ByteBuffer.wrap(new byte[0])),
        "{'descr': '<f4', 'fortran_order': False, 'shape': (0,), }",
        new byte[0]);
  }

  @Test
  void int64VectorRoundTrips() throws IOException {
    byte[] data = longs(-1, 0, 1L << 40);
    assertRoundTrip(
        new Npy.Array(Npy.DType.INT64, new long[] {3}, ByteBuffer.wrap(data)),
        "{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }",
        data);
  }

  @Test
  void readsHeadersWrittenOtherWays() throws IOException {
    // Python 2 numpy wrote long dims as 3L; version 2.0 has a 4-byte header length.
    Npy.Array a = read(numpyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1L, 2L), }", floats(1, 2)));
    assertArrayEquals(new long[] {1, 2}, a.shape());
    String dict = "{'shape': (2,), 'fortran_order': False, 'descr': '<i8'}";
    String header = dict + " ".repeat(64 - (12 + dict.length() + 1) % 64) + "\n";
    var out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0});
    out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(header.length()).array());
    out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(longs(7, 8));
    Npy.Array v2 = read(out.toByteArray());
    assertEquals(Npy.DType.INT64, v2.type());
    assertArrayEquals(new long[] {2}, v2.shape());
    assertEquals(8, v2.data().getLong(8));
  }

  private static String readError(byte[] bytes) {
    return assertThrows(IOException.class, () -> read(bytes)).getMessage();
  }

  @Test
  void badMagicIsNamedWithTheSource() {
    byte[] zip = {'P', 'K', 3, 4, 10, 0, 0, 0, 0, 0};
    assertEquals(
        SOURCE + ": not an npy array (bad magic 504b03040a00, expected \\x93NUMPY).", readError(zip));
  }

  @Test
  void truncationAnywhereIsNamedWithTheSource() throws IOException {
    byte[] full = numpyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", floats(1, 2, 3, 4, 5, 6));
    assertEquals(
        SOURCE + ": truncated while reading the array data (24 bytes expected).",
        readError(Arrays.copyOf(full, full.length - 1)));
    assertEquals(
        SOURCE + ": truncated while reading the header (118 bytes expected).",
        readError(Arrays.copyOf(full, 60)));
    assertEquals(
        SOURCE + ": truncated while reading the npy magic string (6 bytes expected).",
        readError(Arrays.copyOf(full, 3)));
    // Cut inside the version and header-length bytes.
    for (int length = 6; length < 10; length++) {
      String what = length < 8 ? "the npy version (2 bytes expected)" : "the header length (2 bytes expected)";
      assertEquals(
          SOURCE + ": truncated while reading " + what + ".",
          readError(Arrays.copyOf(full, length)),
          "cut after " + length + " bytes");
    }
    assertEquals(
        SOURCE + ": truncated while reading the array data (24 bytes expected).",
        readError(numpyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", new byte[0])));
  }

  @Test
  void fortranOrderIsRejected() {
    assertEquals(
        SOURCE + ": Fortran-ordered arrays are not supported; save it in C order.",
        readError(numpyBytes("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", floats(1, 2, 3, 4))));
  }

  @Test
  void unsupportedDtypesAreRejectedNotReinterpreted() {
    for (String descr : new String[] {"<f8", ">f4", "<i2", "|b1", "|i1", "|S3"}) {
      assertEquals(
          SOURCE + ": unsupported npy dtype '" + descr + "'; expected one of <f4, <i4, <i8, |u1.",
          readError(numpyBytes("{'descr': '" + descr + "', 'fortran_order': False, 'shape': (1,), }", new byte[8])),
          descr);
    }
  }

  @Test
  void unsupportedVersionAndMissingKeysAreNamed() {
    byte[] v9 = numpyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", floats(1));
    v9[6] = 9;
    assertEquals(SOURCE + ": unsupported npy version 9 (expected 1, 2 or 3).", readError(v9));
    assertEquals(
        SOURCE + ": npy header has no 'shape': {'descr': '<f4', 'fortran_order': False, }",
        readError(numpyBytes("{'descr': '<f4', 'fortran_order': False, }", new byte[0])));
  }

  @Test
  void corruptHeaderLengthIsRejected() {
    byte[] v2 = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    assertEquals(
        SOURCE + ": npy header of 4294967295 bytes is not plausible (corrupt file?).", readError(v2));
  }

  @Test
  void arrayChecksItsDataLength() {
    var e = assertThrows(
        IllegalArgumentException.class,
        () -> new Npy.Array(Npy.DType.FLOAT32, new long[] {2, 2}, ByteBuffer.wrap(new byte[12])));
    assertEquals("npy data holds 12 bytes, expected 16 for FLOAT32 [2, 2].", e.getMessage());
  }
}
