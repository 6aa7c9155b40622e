package dev.tfkeras.summary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * Summaries written from inside a traced step, as {@code tf.summary} inside a {@code tf.function}:
 * every call writes, values equal those the Java writer computes for the same data (scalars,
 * histogram buckets, PNG pixels, text), the records pass their CRCs, and nothing is lost when the
 * runtime is closed without a flush.
 */
@ExtendWith(FreshRuntime.class)
class TracedSummaryTest {

  @TempDir Path tmp;

  private static float[][] data(long step) {
    float[][] x = new float[2][6];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 6; j++) {
        x[i][j] = step == 1 ? 0.25f : (float) Math.sin(step * 7 + i * 6 + j) * (1 + step);
      }
    }
    return x;
  }

  @Test
  void everyCallOfATracedStepWritesItsSummaries() throws Exception {
    Path run = tmp.resolve("train");
    try (SummaryWriter writer = SummaryWriter.create(run)) {
      TfFunction<Void> step = TfFunction.of(TFloat32.class, TInt64.class, (x, s) -> {
        var tf = TfFunction.ops();
        writer.scalar("mean", tf.math.mean(x, tf.constant(new int[] {0, 1})), s);
        writer.histogram("values", x, s);
        writer.image("picture", tf.reshape(tf.math.sigmoid(x), tf.constant(new long[] {1, 2, 6, 1})), s);
        writer.text("note", tf.strings.join(List.of(tf.constant("step "), tf.dtypes.asString(s))), s);
      });
      for (long s = 0; s < 3; s++) {
        try (TFloat32 x = TFloat32.tensorOf(StdArrays.ndCopyOf(data(s))); TInt64 st = TInt64.scalarOf(s)) {
          step.call(x, st);
        }
      }
      writer.flush();
      List<EventFiles.Value> values = EventFiles.values(run);
      Map<String, List<EventFiles.Value>> byTag = values.stream().collect(Collectors.groupingBy(EventFiles.Value::tag));
      assertEquals(3, byTag.get("mean").size());
      for (long s = 0; s < 3; s++) {
        float[][] x = data(s);
        double sum = 0;
        double[] flat = new double[12];
        for (int i = 0; i < 12; i++) {
          flat[i] = x[i / 6][i % 6];
          sum += x[i / 6][i % 6];
        }
        EventFiles.Value mean = byTag.get("mean").get((int) s);
        assertEquals(s, mean.step());
        assertEquals((float) (sum / 12), mean.scalar(), 1e-6f);

        EventFiles.Value hist = byTag.get("values").get((int) s);
        assertEquals("histograms", hist.plugin());
        double[][] expected = Histogram.buckets("values", flat, Histogram.DEFAULT_BUCKET_COUNT);
        assertArrayEquals(flatten(expected), doubles(hist.value().getTensor()), 1e-12, "step " + s);
        assertEquals(List.of(30L, 3L), dims(hist.value().getTensor()));

        EventFiles.Value picture = byTag.get("picture").get((int) s);
        assertEquals("images", picture.plugin());
        TensorProto t = picture.value().getTensor();
        assertEquals(3, t.getStringValCount(), "width, height, one PNG");
        assertEquals("6", t.getStringVal(0).toStringUtf8());
        assertEquals("2", t.getStringVal(1).toStringUtf8());
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(t.getStringVal(2).toByteArray()));
        assertNotNull(png, "a decodable PNG");
        for (int i = 0; i < 12; i++) {
          float sigmoid = (float) (1 / (1 + Math.exp(-x[i / 6][i % 6])));
          int expectedByte = (int) Math.max(0, Math.min(255, Math.floor(sigmoid * 255.5f)));
          assertEquals(expectedByte, png.getRaster().getSample(i % 6, i / 6, 0), 1, "pixel " + i);
        }

        EventFiles.Value note = byTag.get("note").get((int) s);
        assertEquals("text", note.plugin());
        assertEquals("step " + s, note.value().getTensor().getStringVal(0).toStringUtf8());
      }
    }
  }

  @Test
  void aBatchSmallerThanMaxOutputsWritesWhatItHas() throws Exception {
    Path run = tmp.resolve("images");
    try (SummaryWriter writer = SummaryWriter.create(run)) {
      TfFunction<Void> step = TfFunction.of(TFloat32.class, TInt64.class, (x, s) -> writer.image("batch", x, s, 4));
      float[][][][] images = new float[2][3][5][3];
      images[1][2][4][1] = 1f;
      try (TFloat32 x = TFloat32.tensorOf(StdArrays.ndCopyOf(images)); TInt64 st = TInt64.scalarOf(7)) {
        step.call(x, st);
      }
      writer.flush();
      TensorProto t = EventFiles.values(run).get(0).value().getTensor();
      assertEquals(4, t.getStringValCount(), "width, height and the batch's two images");
      BufferedImage second = ImageIO.read(new ByteArrayInputStream(t.getStringVal(3).toByteArray()));
      assertEquals(5, second.getWidth());
      assertEquals(3, second.getHeight());
      assertEquals(255, second.getRaster().getSample(4, 2, 1));
      assertEquals(0, second.getRaster().getSample(4, 2, 0));
    }
  }

  @Test
  void oneValueFillsTheLastOfThirtyZeroWidthBuckets() throws Exception {
    Path run = tmp.resolve("flat");
    try (SummaryWriter writer = SummaryWriter.create(run)) {
      TfFunction<Void> step = TfFunction.of(TFloat32.class, TInt64.class, (x, s) -> writer.histogram("w", x, s));
      try (TFloat32 x = TFloat32.vectorOf(0.5f, 0.5f, 0.5f, 0.5f);
          TInt64 st = TInt64.scalarOf(0)) {
        step.call(x, st);
      }
      writer.flush();
      double[] rows = doubles(EventFiles.values(run).get(0).value().getTensor());
      assertArrayEquals(flatten(Histogram.buckets("w", new double[] {0.5, 0.5, 0.5, 0.5}, 30)), rows, 0);
    }
  }

  @Test
  void closingTheRuntimeWithoutFlushLosesNothing() throws Exception {
    Path run = tmp.resolve("unflushed");
    SummaryWriter writer = SummaryWriter.create(run);
    TfFunction<Void> step = TfFunction.of(TFloat32.class, TInt64.class, (x, s) -> writer.scalar("x", TfFunction.ops().math.mean(x, TfFunction.ops().constant(0)), s));
    for (long s = 0; s < 5; s++) {
      try (TFloat32 x = TFloat32.vectorOf(s, s + 1); TInt64 st = TInt64.scalarOf(s)) {
        step.call(x, st);
      }
    }
    GraphRuntime.reset();
    writer.close();
    List<EventFiles.Value> values = EventFiles.values(run);
    assertEquals(5, values.size());
    for (int s = 0; s < 5; s++) {
      assertEquals(s + 0.5f, values.get(s).scalar());
    }
  }

  @Test
  void operandsOutsideATraceAndNonScalarsAreRefused() {
    try (SummaryWriter writer = SummaryWriter.create(tmp.resolve("bad"))) {
      IllegalStateException outside = assertThrows(IllegalStateException.class, () -> {
        var tf = GraphRuntime.current().ops();
        writer.scalar("x", tf.constant(1f), tf.constant(0L));
      });
      assertTrue(outside.getMessage().contains("must be called inside a traced function"), outside.getMessage());
      TfFunction<Void> step = TfFunction.of(TFloat32.class, TInt64.class, (x, s) -> writer.scalar("x", x, s));
      try (TFloat32 x = TFloat32.vectorOf(1, 2); TInt64 st = TInt64.scalarOf(0)) {
        IllegalArgumentException vector = assertThrows(IllegalArgumentException.class, () -> step.call(x, st));
        assertTrue(vector.getMessage().startsWith("Scalar summary 'x' expects a scalar, received a tensor of shape ["),
            vector.getMessage());
      }
    }
  }

  private static double[] flatten(double[][] rows) {
    List<Double> out = new ArrayList<>();
    for (double[] row : rows) {
      for (double v : row) {
        out.add(v);
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double[] doubles(TensorProto t) {
    assertEquals(DataType.DT_DOUBLE, t.getDtype());
    if (t.getDoubleValCount() > 0) {
      return t.getDoubleValList().stream().mapToDouble(Double::doubleValue).toArray();
    }
    ByteBuffer b = t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    double[] out = new double[b.remaining() / 8];
    b.asDoubleBuffer().get(out);
    return out;
  }

  private static List<Long> dims(TensorProto t) {
    return t.getTensorShape().getDimList().stream().map(d -> d.getSize()).toList();
  }
}
