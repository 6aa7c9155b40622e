package dev.tfkeras.summary;

import dev.tfkeras.runtime.GraphRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Constant;
import org.tensorflow.op.summary.SummaryWriter;
import org.tensorflow.proto.SummaryMetadata;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * The TensorFlow summary writer of one {@link dev.tfkeras.summary.SummaryWriter} in one runtime's
 * graph, as {@code tf.summary.create_file_writer} makes inside a {@code tf.function}: a writer
 * resource created by an init op (so before the first run, once), {@code WriteSummary} ops that the
 * traced step runs on each call, and flush and close ops. TensorFlow's writer queues events (up to
 * 10, flushed at least every 2 minutes, as Python's defaults) and writes them on its own, so a traced
 * step never waits for the disk; it writes its own event file beside the Java writer's, in the same
 * run directory, which TensorBoard reads as one run.
 */
final class GraphWriter {

  private final GraphRuntime runtime;
  private final Operand<?> handle;
  private final Op flush;
  private final Op close;

  GraphWriter(GraphRuntime runtime, Path logDir) {
    this.runtime = runtime;
    synchronized (runtime) {
      Ops init = runtime.ops().withInitScope();
      String name = runtime.uniqueRootName("summary_writer");
      this.handle = init.withName(name).summary.summaryWriter(SummaryWriter.sharedName(name));
      init.summary.createSummaryFileWriter(
          handle,
          init.constant(logDir.toAbsolutePath().toString()),
          init.constant(10),
          init.constant(120_000),
          init.constant(".v2"));
      Ops tf = runtime.ops();
      this.flush = tf.summary.flushSummaryWriter(handle);
      this.close = tf.summary.closeSummaryWriter(handle);
    }
  }

  GraphRuntime runtime() {
    return runtime;
  }

  /** A {@code WriteSummary} op of {@code tensor} under {@code tag} at {@code step} with the plugin's metadata. */
  Op write(Ops tf, String tag, Operand<? extends TType> tensor, Operand<?> step, SummaryMetadata metadata) {
    Constant<TString> serialized = tf.constant(TString.tensorOfBytes(NdArrays.scalarOfObject(metadata.toByteArray())));
    return tf.summary.writeSummary(handle, cast64(tf, step), tensor, tf.constant(tag), serialized);
  }

  @SuppressWarnings("unchecked")
  private static Operand<org.tensorflow.types.TInt64> cast64(Ops tf, Operand<?> step) {
    if (step.type() == org.tensorflow.types.TInt64.class) {
      return (Operand<org.tensorflow.types.TInt64>) step;
    }
    return tf.dtypes.cast((Operand<? extends TType>) step, org.tensorflow.types.TInt64.class);
  }

  /** Writes what TensorFlow's writer queued; nothing to do if the runtime is gone. */
  void flush() {
    run(flush);
  }

  /** Flushes and closes TensorFlow's writer. */
  void close() {
    run(close);
  }

  private void run(Op op) {
    if (runtime.isClosed()) {
      return; // the writer resource was destroyed with the session, which flushed it
    }
    runtime.run(runtime.session().runner().addTarget(op)).close();
  }

  static List<GraphWriter> copy(List<GraphWriter> writers) {
    synchronized (writers) {
      return new ArrayList<>(writers);
    }
  }
}
