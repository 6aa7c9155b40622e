package dev.tfkeras.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.SummaryMetadata;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TString;
import org.tensorflow.ndarray.NdArrays;

/**
 * The reader the tests use, checked on a file that TensorFlow's own C++ summary writer wrote
 * (CreateSummaryFileWriter, WriteSummary with tf.summary.scalar's metadata): the same framing,
 * CRCs, version event and file name, so what passes for tfkeras's files passes for TensorFlow's;
 * and tfkeras's scalar value equals TensorFlow's.
 */
class TensorFlowWriterTest {

  @TempDir Path tmp;

  @Test
  void theReaderReadsTensorFlowsOwnEventFiles() throws Exception {
    Path run = tmp.resolve("tf");
    SummaryMetadata scalars =
        SummaryMetadata.newBuilder()
            .setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName("scalars"))
            .build();
    try (TString meta = TString.tensorOfBytes(NdArrays.scalarOfObject(scalars.toByteArray()));
        Graph graph = new Graph();
        Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      var writer = tf.summary.summaryWriter(org.tensorflow.op.summary.SummaryWriter.sharedName("tb"));
      var create =
          tf.summary.createSummaryFileWriter(
              writer, tf.constant(run.toString()), tf.constant(10), tf.constant(120_000), tf.constant(".v2"));
      var value = tf.placeholder(TFloat32.class, Placeholder.shape(org.tensorflow.ndarray.Shape.scalar()));
      var step = tf.placeholder(org.tensorflow.types.TInt64.class, Placeholder.shape(org.tensorflow.ndarray.Shape.scalar()));
      var metadata = tf.placeholder(TString.class, Placeholder.shape(org.tensorflow.ndarray.Shape.scalar()));
      var write = tf.summary.writeSummary(writer, step, value, tf.constant("loss"), metadata);
      var flush = tf.summary.flushSummaryWriter(writer);
      var close = tf.summary.closeSummaryWriter(writer);
      session.runner().addTarget(create).run();
      for (long s = 0; s < 3; s++) {
        try (TFloat32 v = TFloat32.scalarOf(0.5f * s);
            var st = org.tensorflow.types.TInt64.scalarOf(s)) {
          session.runner().feed(value, v).feed(step, st).feed(metadata, meta).addTarget(write).run();
        }
      }
      session.runner().addTarget(flush).run();
      session.runner().addTarget(close).run();
    }
    List<Path> files = EventFiles.files(run);
    assertEquals(1, files.size());
    List<Event> events = EventFiles.read(files.get(0), false);
    List<EventFiles.Value> values = EventFiles.values(run);
    assertEquals(3, values.size());
    for (int s = 0; s < 3; s++) {
      assertEquals(s, values.get(s).step());
      assertEquals("loss", values.get(s).tag());
      assertEquals(0.5f * s, values.get(s).scalar());
    }
    assertEquals(4, events.size());

    // tfkeras's scalar is the same Summary value, field for field, as TensorFlow's
    Path ours = tmp.resolve("ours");
    try (SummaryWriter writer = SummaryWriter.create(ours)) {
      writer.scalar("loss", 0.5f * 2, 2);
    }
    assertEquals(values.get(2).value(), EventFiles.values(ours).get(0).value());
  }

  /**
   * tfkeras's histogram, text and image values equal, field for field, those TensorFlow's writer
   * makes of the same tensors and metadata: same dtypes, shapes and encodings (tensor_content for
   * doubles, string_val for strings).
   */
  @Test
  void histogramTextAndImageValuesEqualTensorFlows() throws Exception {
    Path ours = tmp.resolve("ours");
    var images = NdArrays.ofFloats(org.tensorflow.ndarray.Shape.of(2, 2, 3, 1));
    images.setFloat(0.5f, 1, 1, 2, 0);
    try (SummaryWriter writer = SummaryWriter.create(ours)) {
      writer.histogram("h", new float[] {0, 1, 1, 3, 4}, 1);
      writer.text("t", "**hi** é", 2);
      writer.image("i", images, 3);
    }
    List<EventFiles.Value> mine = EventFiles.values(ours);
    double[][] rows = SummaryWriterTest.histogramRows(mine.get(0).value().getTensor());
    var strings = mine.get(2).value().getTensor().getStringValList();
    byte[][] imageStrings = new byte[strings.size()][];
    for (int i = 0; i < imageStrings.length; i++) {
      imageStrings[i] = strings.get(i).toByteArray();
    }
    Path run = tmp.resolve("tf");
    try (TFloat64 histogram = TFloat64.tensorOf(StdArrays.ndCopyOf(rows));
        TString text = TString.scalarOf("**hi** é");
        TString image = TString.tensorOfBytes(NdArrays.vectorOfObjects(imageStrings));
        Graph graph = new Graph();
        Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      var writer = tf.summary.summaryWriter(org.tensorflow.op.summary.SummaryWriter.sharedName("tb2"));
      session.runner()
          .addTarget(
              tf.summary.createSummaryFileWriter(
                  writer, tf.constant(run.toString()), tf.constant(10), tf.constant(120_000), tf.constant(".v2")))
          .run();
      List<org.tensorflow.Operand<?>> tensors = List.of(tf.constant(histogram), tf.constant(text), tf.constant(image));
      for (int i = 0; i < 3; i++) {
        EventFiles.Value value = mine.get(i);
        try (TString metadata =
            TString.tensorOfBytes(NdArrays.scalarOfObject(value.value().getMetadata().toByteArray()))) {
          session.runner()
              .addTarget(
                  tf.summary.writeSummary(
                      writer, tf.constant(value.step()), tensors.get(i), tf.constant(value.tag()), tf.constant(metadata)))
              .run();
        }
      }
      session.runner().addTarget(tf.summary.closeSummaryWriter(writer)).run();
    }
    List<EventFiles.Value> theirs = EventFiles.values(run);
    assertEquals(3, theirs.size());
    for (int i = 0; i < 3; i++) {
      assertEquals(theirs.get(i).step(), mine.get(i).step());
      assertEquals(theirs.get(i).value(), mine.get(i).value(), mine.get(i).tag());
    }
  }
}
