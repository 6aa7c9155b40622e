package dev.tfkeras.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/**
 * A reader of event files as TensorBoard reads them, written apart from the writer: checks both
 * CRCs of every record, parses every record as an {@code Event}, and checks that the first is the
 * {@code brain.Event:2} version event. Shared by the summary and callback tests.
 */
public final class EventFiles {

  /** tf.summary's file names: events.out.tfevents.<seconds>.<host>.<pid>.<n>.v2 */
  public static final Pattern NAME =
      Pattern.compile("events\\.out\\.tfevents\\.\\d{10}\\.[^/]+\\.\\d+\\.\\d+\\.v2");

  private EventFiles() {}

  /** A Summary value with its event's step. */
  public record Value(long step, Summary.Value value) {
    public String tag() {
      return value.getTag();
    }

    public String plugin() {
      return value.getMetadata().getPluginData().getPluginName();
    }

    public float scalar() {
      assertEquals("scalars", plugin(), tag());
      assertEquals(0, value.getTensor().getTensorShape().getDimCount(), tag());
      assertEquals(DataType.DT_FLOAT, value.getTensor().getDtype(), tag());
      // TensorBoard's make_ndarray reads either representation
      if (value.getTensor().getFloatValCount() > 0) {
        return value.getTensor().getFloatVal(0);
      }
      return value.getTensor().getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getFloat();
    }
  }

  /** Every event of every event file directly in {@code dir}, file by file. */
  public static List<Event> readDir(Path dir) throws IOException {
    List<Event> events = new ArrayList<>();
    for (Path file : files(dir)) {
      events.addAll(read(file, false));
    }
    return events;
  }

  /** The event files directly in {@code dir}, checked to be named as tf.summary names them. */
  public static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      List<Path> files = list.sorted().toList();
      for (Path file : files) {
        assertTrue(NAME.matcher(file.getFileName().toString()).matches(), "file name " + file);
      }
      return files;
    }
  }

  /** The summary values of every event file in {@code dir}, in order. */
  public static List<Value> values(Path dir) throws IOException {
    List<Value> values = new ArrayList<>();
    for (Event event : readDir(dir)) {
      for (Summary.Value value : event.getSummary().getValueList()) {
        values.add(new Value(event.getStep(), value));
      }
    }
    return values;
  }

  /**
   * Every record of {@code file}, each CRC checked; with {@code allowTruncatedTail}, a last record
   * cut short (a writer killed mid-write) is ignored, as TensorBoard ignores it.
   */
  public static List<Event> read(Path file, boolean allowTruncatedTail) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    List<Event> events = new ArrayList<>();
    while (bytes.hasRemaining()) {
      int start = bytes.position();
      if (bytes.remaining() < 12) {
        truncated(file, start, allowTruncatedTail);
        break;
      }
      byte[] header = new byte[8];
      bytes.get(header);
      long length = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getLong();
      int headerCrc = bytes.getInt();
      assertEquals(masked(header), headerCrc, "length CRC of the record at byte " + start + " of " + file);
      if (bytes.remaining() < length + 4) {
        truncated(file, start, allowTruncatedTail);
        break;
      }
      byte[] data = new byte[(int) length];
      bytes.get(data);
      assertEquals(masked(data), bytes.getInt(), "data CRC of the record at byte " + start + " of " + file);
      events.add(Event.parseFrom(data));
    }
    assertTrue(!events.isEmpty(), "no event in " + file);
    assertEquals("brain.Event:2", events.get(0).getFileVersion(), "first event of " + file);
    return events;
  }

  private static void truncated(Path file, int at, boolean allowed) {
    if (!allowed) {
      fail("record cut short at byte " + at + " of " + file);
    }
  }

  /** TensorFlow's crc32c::Mask, written out here independently of the writer. */
  static int masked(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    long c = crc.getValue();
    long rotated = ((c >> 15) | (c << 17)) & 0xffffffffL;
    return (int) ((rotated + 0xa282ead8L) & 0xffffffffL);
  }
}
