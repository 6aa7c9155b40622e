package dev.tfkeras.summary;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * TFRecord framing, as TensorFlow's {@code RecordWriter} writes it and TensorBoard reads it: the
 * data's length as a little-endian uint64, the masked CRC-32C of those 8 bytes, the data, the masked
 * CRC-32C of the data.
 */
final class TfRecord {

  private static final int MASK_DELTA = 0xa282ead8;

  private TfRecord() {}

  /** The CRC-32C of the bytes, rotated right by 15 bits plus a constant (TensorFlow's crc32c::Mask). */
  static int maskedCrc32c(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    int value = (int) crc.getValue();
    return ((value >>> 15) | (value << 17)) + MASK_DELTA;
  }

  /** One whole record holding {@code data}. */
  static byte[] frame(byte[] data) {
    ByteBuffer record = ByteBuffer.allocate(16 + data.length).order(ByteOrder.LITTLE_ENDIAN);
    record.putLong(data.length);
    record.putInt(maskedCrc32c(record.array(), 0, 8));
    record.put(data);
    record.putInt(maskedCrc32c(data, 0, data.length));
    return record.array();
  }
}
