package dev.tfkeras.summary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataClass;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;

/** SummaryWriter's values read back as TensorBoard reads them, with tf.summary v2's metadata. */
class SummaryWriterTest {

  @TempDir Path tmp;

  @Test
  void crcOfTheStandardCheckString() {
    // CRC-32C("123456789") = 0xE3069283 (RFC 3720), then TensorFlow's mask
    byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
    int crc = 0xE3069283;
    int masked = ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
    assertEquals(masked, TfRecord.maskedCrc32c(check, 0, check.length));
    assertEquals(masked, EventFiles.masked(check));
  }

  @Test
  void scalarsHistogramsImagesTextAndGraphReadBack() throws IOException {
    Path run = tmp.resolve("run");
    FloatNdArray images = NdArrays.ofFloats(Shape.of(4, 2, 3, 1));
    images.setFloat(1f, 0, 1, 2, 0); // white bottom-right pixel of the first image
    images.setFloat(-3f, 1, 0, 0, 0); // clipped to black
    try (SummaryWriter writer = SummaryWriter.create(run)) {
      writer.scalar("loss", 0.25, 0);
      writer.scalar("loss", 0.125, 1);
      writer.histogram("w/histogram", new float[] {0, 1, 2, 3, 4}, 1);
      writer.image("w/image", images, 2);
      writer.text("notes", "**hello**", 3);
      writer.graph(GraphDef.newBuilder().addNode(NodeDef.newBuilder().setName("x").setOp("Const")).build());
    }
    List<Path> files = EventFiles.files(run);
    assertEquals(1, files.size());
    List<Event> events = EventFiles.read(files.get(0), false);
    assertEquals(7, events.size());
    assertEquals("x", GraphDef.parseFrom(events.get(6).getGraphDef()).getNode(0).getName());

    List<EventFiles.Value> values = EventFiles.values(run);
    assertEquals(List.of("loss", "loss", "w/histogram", "w/image", "notes"), values.stream().map(EventFiles.Value::tag).toList());
    assertEquals(List.of(0L, 1L, 1L, 2L, 3L), values.stream().map(EventFiles.Value::step).toList());
    assertEquals(0.25f, values.get(0).scalar());
    assertEquals(0.125f, values.get(1).scalar());
    assertEquals(DataClass.DATA_CLASS_UNKNOWN, values.get(0).value().getMetadata().getDataClass());
    assertTrue(values.get(0).value().getMetadata().getPluginData().getContent().isEmpty());

    EventFiles.Value histogram = values.get(2);
    assertEquals("histograms", histogram.plugin());
    assertEquals(DataClass.DATA_CLASS_UNKNOWN, histogram.value().getMetadata().getDataClass());
    double[][] rows = histogramRows(histogram.value().getTensor());
    assertEquals(30, rows.length);
    assertArrayEquals(new double[] {0, 4.0 / 30, 1}, rows[0], 1e-12);
    assertEquals(4.0, rows[29][1]);
    double total = 0;
    for (double[] row : rows) {
      total += row[2];
    }
    assertEquals(5, total);

    EventFiles.Value image = values.get(3);
    assertEquals("images", image.plugin());
    assertEquals(DataClass.DATA_CLASS_UNKNOWN, image.value().getMetadata().getDataClass());
    TensorProto strings = image.value().getTensor();
    assertEquals(DataType.DT_STRING, strings.getDtype());
    assertEquals(5, strings.getTensorShape().getDim(0).getSize()); // width, height, 3 of 4 images
    assertEquals("3", strings.getStringVal(0).toStringUtf8()); // width first
    assertEquals("2", strings.getStringVal(1).toStringUtf8());
    BufferedImage first = ImageIO.read(new ByteArrayInputStream(strings.getStringVal(2).toByteArray()));
    assertNotNull(first, "PNG decodable");
    assertEquals(3, first.getWidth());
    assertEquals(2, first.getHeight());
    assertEquals(255, first.getRaster().getSample(2, 1, 0));
    assertEquals(0, first.getRaster().getSample(0, 0, 0));
    BufferedImage second = ImageIO.read(new ByteArrayInputStream(strings.getStringVal(3).toByteArray()));
    assertEquals(0, second.getRaster().getSample(0, 0, 0));

    EventFiles.Value text = values.get(4);
    assertEquals("text", text.plugin());
    assertEquals("**hello**", text.value().getTensor().getStringVal(0).toStringUtf8());
  }

  @Test
  void errorsNameTheValueAndWhatToDo() {
    try (SummaryWriter writer = SummaryWriter.create(tmp)) {
      var tag = assertThrows(IllegalArgumentException.class, () -> writer.scalar(" ", 1, 0));
      assertEquals(
          "A summary needs a tag, the name TensorBoard shows it under, e.g. \"loss\"; received: ' '",
          tag.getMessage());
      var shape =
          assertThrows(
              IllegalArgumentException.class,
              () -> writer.image("img", NdArrays.ofFloats(Shape.of(28, 28)), 0));
      assertEquals(
          "Image summary 'img' expects a batch of images of shape (k, height, width, channels) with"
              + " 1, 3 or 4 channels, received shape [28, 28]. Reshape it, e.g. a (28, 28) image to"
              + " (1, 28, 28, 1).",
          shape.getMessage());
      writer.close();
      var closed = assertThrows(IllegalStateException.class, () -> writer.scalar("loss", 1, 0));
      assertTrue(closed.getMessage().endsWith("is closed; create a new SummaryWriter to write more."), closed.getMessage());
    }
  }

  static double[][] histogramRows(TensorProto tensor) {
    assertEquals(DataType.DT_DOUBLE, tensor.getDtype());
    assertEquals(3, tensor.getTensorShape().getDim(1).getSize());
    int k = (int) tensor.getTensorShape().getDim(0).getSize();
    ByteBuffer content = tensor.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    double[][] rows = new double[k][3];
    for (double[] row : rows) {
      for (int j = 0; j < 3; j++) {
        row[j] = content.getDouble();
      }
    }
    return rows;
  }
}
