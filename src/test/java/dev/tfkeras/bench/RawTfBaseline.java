package dev.tfkeras.bench;

import dev.tfkeras.data.Batch;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The benchmarked models written as a hand-written TensorFlow Java program would write them: one
 * graph, variables with Glorot-uniform initializers, {@code Graph.addGradients}, {@code ApplyAdam}
 * with Keras's defaults, the loss and accuracy summed in graph variables, one session run per
 * batch. What tfkeras's custom loop and fit are measured against.
 */
final class RawTfBaseline implements AutoCloseable {

  private final Graph graph = new Graph();
  private final Ops tf = Ops.create(graph);
  private final List<Variable<TFloat32>> weights = new ArrayList<>();
  private final List<Operand<TFloat32>> reads = new ArrayList<>();
  private final Placeholder<TFloat32> x;
  private final Placeholder<TInt32> y;
  private final List<Op> targets = new ArrayList<>();
  private final Session session;
  private long seed = 1;

  /** The seed notebook's model: Conv2D 32x3x3 relu, Flatten, Dense 128 relu, Dense 10 logits. */
  static RawTfBaseline seedModel() {
    return new RawTfBaseline(false);
  }

  /** Keras's mnist_convnet: two Conv2D+MaxPooling2D, Flatten, Dropout 0.5, Dense 10 softmax. */
  static RawTfBaseline mnistConvnet() {
    return new RawTfBaseline(true);
  }

  private RawTfBaseline(boolean convnet) {
    x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 28, 28, 1)));
    y = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    Operand<TFloat32> loss;
    Operand<TFloat32> logitsOrProbabilities;
    if (!convnet) {
      Operand<TFloat32> h = tf.nn.relu(conv(x, 1, 32));
      h = tf.reshape(h, tf.constant(new long[] {-1, 26 * 26 * 32}));
      h = tf.nn.relu(dense(h, 26 * 26 * 32, 128));
      logitsOrProbabilities = dense(h, 128, 10);
      loss = tf.math.mean(
          tf.nn.sparseSoftmaxCrossEntropyWithLogits(logitsOrProbabilities, y).loss(), tf.constant(0));
    } else {
      Operand<TFloat32> h = maxPool(tf.nn.relu(conv(x, 1, 32)));
      h = maxPool(tf.nn.relu(conv(h, 32, 64)));
      h = tf.reshape(h, tf.constant(new long[] {-1, 5 * 5 * 64}));
      Operand<TFloat32> noise = tf.random.randomUniform(tf.shape(h), TFloat32.class, RandomUniform.seed(7L));
      Operand<TFloat32> keep = tf.dtypes.cast(tf.math.greaterEqual(noise, tf.constant(0.5f)), TFloat32.class);
      h = tf.math.mul(h, tf.math.mul(keep, tf.constant(2f)));
      logitsOrProbabilities = tf.nn.softmax(dense(h, 5 * 5 * 64, 10));
      Operand<TFloat32> oneHot = tf.oneHot(y, tf.constant(10), tf.constant(1f), tf.constant(0f));
      Operand<TFloat32> logP =
          tf.math.log(tf.clipByValue(logitsOrProbabilities, tf.constant(1e-7f), tf.constant(1f - 1e-7f)));
      loss = tf.math.mean(tf.math.neg(tf.sum(tf.math.mul(oneHot, logP), tf.constant(-1))), tf.constant(0));
    }
    List<Output<?>> readOutputs = new ArrayList<>();
    for (Operand<TFloat32> read : reads) {
      readOutputs.add(read.asOutput());
    }
    // gradients of the loss with respect to the weights' reads (math on a variable op directly
    // before addGradients crashes the JVM: read through identity first)
    Output<?>[] gradients = graph.addGradients(loss.asOutput(), readOutputs.toArray(new Output<?>[0]));
    Variable<TFloat32> beta1Power = tf.variable(tf.constant(1f));
    Variable<TFloat32> beta2Power = tf.variable(tf.constant(1f));
    Operand<TFloat32> b1 = tf.math.mul(beta1Power, tf.constant(0.9f));
    Operand<TFloat32> b2 = tf.math.mul(beta2Power, tf.constant(0.999f));
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      Variable<TFloat32> w = weights.get(i);
      Variable<TFloat32> m = tf.variable(tf.zerosLike(w));
      Variable<TFloat32> v = tf.variable(tf.zerosLike(w));
      @SuppressWarnings("unchecked")
      Operand<TFloat32> g = (Operand<TFloat32>) gradients[i];
      updates.add(tf.train.applyAdam(w, m, v, b1, b2, tf.constant(0.001f), tf.constant(0.9f),
          tf.constant(0.999f), tf.constant(1e-7f), g));
    }
    Op advance = tf.withControlDependencies(updates).noOp();
    targets.add(tf.withControlDependencies(List.of(advance)).assign(beta1Power, b1));
    targets.add(tf.withControlDependencies(List.of(advance)).assign(beta2Power, b2));
    // the custom loop's Mean and SparseCategoricalAccuracy: sums in variables
    Variable<TFloat32> lossSum = tf.variable(tf.constant(0f));
    Variable<TFloat32> correct = tf.variable(tf.constant(0f));
    Variable<TFloat32> seen = tf.variable(tf.constant(0f));
    Operand<TFloat32> batch = tf.dtypes.cast(tf.gather(tf.shape(y), tf.constant(0), tf.constant(0)), TFloat32.class);
    Operand<TInt64> predicted = tf.math.argMax(logitsOrProbabilities, tf.constant(-1), TInt64.class);
    Operand<TFloat32> hits = tf.dtypes.cast(tf.math.equal(predicted, tf.dtypes.cast(y, TInt64.class)), TFloat32.class);
    targets.add(tf.assignAdd(lossSum, tf.math.mul(loss, batch)));
    targets.add(tf.assignAdd(correct, tf.sum(hits, tf.constant(0))));
    targets.add(tf.assignAdd(seen, batch));
    session = dev.tfkeras.runtime.GraphRuntime.openSession(graph); // the process's thread settings
    session.initialize();
  }

  private Operand<TFloat32> glorot(Shape shape, long fanIn, long fanOut) {
    float limit = (float) Math.sqrt(6.0 / (fanIn + fanOut));
    Operand<TFloat32> unit = tf.random.randomUniform(tf.constant(shape), TFloat32.class, RandomUniform.seed(seed++));
    return tf.math.sub(tf.math.mul(unit, tf.constant(2 * limit)), tf.constant(limit));
  }

  private Operand<TFloat32> conv(Operand<TFloat32> input, long in, long out) {
    Variable<TFloat32> kernel = tf.withInitScope().variable(glorot(Shape.of(3, 3, in, out), 9 * in, 9 * out));
    Variable<TFloat32> bias = tf.withInitScope().variable(tf.zeros(tf.constant(new long[] {out}), TFloat32.class));
    return tf.nn.biasAdd(tf.nn.conv2d(input, read(kernel), List.of(1L, 1L, 1L, 1L), "VALID"), read(bias));
  }

  private Operand<TFloat32> read(Variable<TFloat32> variable) {
    Operand<TFloat32> read = tf.identity(variable);
    weights.add(variable);
    reads.add(read);
    return read;
  }

  private Operand<TFloat32> maxPool(Operand<TFloat32> input) {
    return tf.nn.maxPool(input, tf.constant(new int[] {1, 2, 2, 1}), tf.constant(new int[] {1, 2, 2, 1}), "VALID");
  }

  private Operand<TFloat32> dense(Operand<TFloat32> input, long in, long out) {
    Variable<TFloat32> kernel = tf.withInitScope().variable(glorot(Shape.of(in, out), in, out));
    Variable<TFloat32> bias = tf.withInitScope().variable(tf.zeros(tf.constant(new long[] {out}), TFloat32.class));
    return tf.nn.biasAdd(tf.linalg.matMul(input, read(kernel)), read(bias));
  }

  /** One training step on the batch's images and labels. */
  void step(Batch batch) {
    Session.Runner runner = session.runner().feed(x, batch.features()).feed(y, batch.labels());
    targets.forEach(runner::addTarget);
    runner.run().close();
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
