package dev.tfkeras.bench;

import dev.tfkeras.data.Batch;
import dev.tfkeras.losses.SparseCategoricalCrossentropy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.Qr;
import org.tensorflow.op.random.RandomStandardNormal;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The benchmarked models written as a hand-written TensorFlow Java program would write them: one
 * graph, variables with Keras's default initializers (Glorot uniform; orthogonal for the LSTM's
 * recurrent kernel), {@code Graph.addGradients}, {@code ApplyAdam} with Keras's defaults, the loss
 * and accuracy summed in graph variables, one session run per batch. What tfkeras's custom loop
 * and fit are measured against; {@code RawLstmBaselineTest} checks that the LSTM computes the same
 * model as tfkeras.
 */
final class RawTfBaseline implements AutoCloseable {

  private final Graph graph = new Graph();
  private final Ops tf = Ops.create(graph);
  private final List<Variable<TFloat32>> weights = new ArrayList<>();
  private final List<Operand<TFloat32>> reads = new ArrayList<>();
  private final Placeholder<TFloat32> x;
  private final Placeholder<TInt32> y;
  private final Operand<TFloat32> output;
  private final Operand<TFloat32> loss;
  private final List<Op> targets = new ArrayList<>();
  private final Session session;
  private long seed = 1;

  /** The seed notebook's model: Conv2D 32x3x3 relu, Flatten, Dense 128 relu, Dense 10 logits. */
  static RawTfBaseline seedModel() {
    return new RawTfBaseline(RawTfBaseline::seedLogits, true);
  }

  /** Keras's mnist_convnet: two Conv2D+MaxPooling2D, Flatten, Dropout 0.5, Dense 10 softmax. */
  static RawTfBaseline mnistConvnet() {
    return new RawTfBaseline(RawTfBaseline::convnetProbabilities, false);
  }

  /**
   * Keras's MNIST row-sequence classifier: each image as 28 steps of 28 features, LSTM(64) with
   * Keras's defaults, Dense 10 logits. See {@link #lstmLogits()} for how the loop is written.
   */
  static RawTfBaseline lstmClassifier() {
    return new RawTfBaseline(RawTfBaseline::lstmLogits, true);
  }

  /**
   * @param model builds the model's output on {@link #x}: logits, or probabilities
   * @param fromLogits whether that output is logits (sparse softmax cross-entropy) or
   *     probabilities (Keras's clipped log)
   */
  private RawTfBaseline(Function<RawTfBaseline, Operand<TFloat32>> model, boolean fromLogits) {
    new SparseCategoricalCrossentropy(true); // registers the gradient TensorFlow lacks, as tfkeras does
    x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 28, 28, 1)));
    y = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    output = model.apply(this);
    if (fromLogits) {
      loss = tf.math.mean(tf.nn.sparseSoftmaxCrossEntropyWithLogits(output, y).loss(), tf.constant(0));
    } else {
      Operand<TFloat32> oneHot = tf.oneHot(y, tf.constant(10), tf.constant(1f), tf.constant(0f));
      Operand<TFloat32> logP = tf.math.log(tf.clipByValue(output, tf.constant(1e-7f), tf.constant(1f - 1e-7f)));
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
    // Identity reads alias the variables' buffers: an update that ran while another weight's
    // gradient still reads its weight would change that gradient, so every update waits for all.
    Ops afterGradients = tf.withControlDependencies(List.of(gradients));
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      Variable<TFloat32> w = weights.get(i);
      Variable<TFloat32> m = tf.variable(tf.zerosLike(w));
      Variable<TFloat32> v = tf.variable(tf.zerosLike(w));
      @SuppressWarnings("unchecked")
      Operand<TFloat32> g = (Operand<TFloat32>) gradients[i];
      updates.add(afterGradients.train.applyAdam(w, m, v, b1, b2, tf.constant(0.001f), tf.constant(0.9f),
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
    Operand<TInt64> predicted = tf.math.argMax(output, tf.constant(-1), TInt64.class);
    Operand<TFloat32> hits = tf.dtypes.cast(tf.math.equal(predicted, tf.dtypes.cast(y, TInt64.class)), TFloat32.class);
    targets.add(tf.assignAdd(lossSum, tf.math.mul(loss, batch)));
    targets.add(tf.assignAdd(correct, tf.sum(hits, tf.constant(0))));
    targets.add(tf.assignAdd(seen, batch));
    session = dev.tfkeras.runtime.GraphRuntime.openSession(graph); // the process's thread settings
    session.initialize();
  }

  private Operand<TFloat32> seedLogits() {
    Operand<TFloat32> h = tf.nn.relu(conv(x, 1, 32));
    h = tf.reshape(h, tf.constant(new long[] {-1, 26 * 26 * 32}));
    h = tf.nn.relu(dense(h, 26 * 26 * 32, 128));
    return dense(h, 128, 10);
  }

  private Operand<TFloat32> convnetProbabilities() {
    Operand<TFloat32> h = maxPool(tf.nn.relu(conv(x, 1, 32)));
    h = maxPool(tf.nn.relu(conv(h, 32, 64)));
    h = tf.reshape(h, tf.constant(new long[] {-1, 5 * 5 * 64}));
    Operand<TFloat32> noise = tf.random.randomUniform(tf.shape(h), TFloat32.class, RandomUniform.seed(7L));
    Operand<TFloat32> keep = tf.dtypes.cast(tf.math.greaterEqual(noise, tf.constant(0.5f)), TFloat32.class);
    h = tf.math.mul(h, tf.math.mul(keep, tf.constant(2f)));
    return tf.nn.softmax(dense(h, 5 * 5 * 64, 10));
  }

  /**
   * LSTM(64) over the image's 28 rows, then Dense 10, as one would write it by hand: the input
   * product of all 28 steps in one matmul (with the bias), sliced per step by one unstack; the
   * time loop unrolled in Java (TensorFlow Java cannot differentiate {@code whileLoop}) from zero
   * states, each step one matmul with the recurrent kernel, a split into Keras's gates i, f, c, o,
   * and the element-wise cell update with plain {@code tf.math} ops. Weights as Keras's defaults:
   * Glorot-uniform kernel, orthogonal recurrent kernel, zero bias with ones on the forget gate.
   */
  private Operand<TFloat32> lstmLogits() {
    int steps = 28;
    int features = 28;
    int units = 64;
    Variable<TFloat32> kernel =
        tf.withInitScope().variable(glorot(Shape.of(features, 4 * units), features, 4 * units));
    Variable<TFloat32> recurrentKernel = tf.withInitScope().variable(orthogonal(units, 4 * units));
    Variable<TFloat32> bias =
        tf.withInitScope().variable(tf.concat(List.of(tf.zeros(tf.constant(new long[] {units}), TFloat32.class),
            tf.ones(tf.constant(new long[] {units}), TFloat32.class),
            tf.zeros(tf.constant(new long[] {2 * units}), TFloat32.class)), tf.constant(0)));
    Operand<TFloat32> kernelValue = read(kernel); // read in Keras's weight order
    Operand<TFloat32> recurrent = read(recurrentKernel);
    Operand<TFloat32> biasValue = read(bias);
    Operand<TFloat32> rows = tf.reshape(x, tf.constant(new long[] {-1, features}));
    Operand<TFloat32> inputs = tf.nn.biasAdd(tf.linalg.matMul(rows, kernelValue), biasValue);
    inputs = tf.reshape(inputs, tf.constant(new long[] {-1, steps, 4 * units}));
    List<Output<TFloat32>> perStep = tf.unstack(inputs, (long) steps, Unstack.axis(1L)).output();
    Operand<TInt32> batch = tf.gather(tf.shape(x), tf.constant(0), tf.constant(0));
    Operand<TFloat32> h = tf.fill(tf.stack(List.of(batch, tf.constant(units))), tf.constant(0f));
    Operand<TFloat32> c = h;
    for (int t = 0; t < steps; t++) {
      Operand<TFloat32> z = tf.math.add(perStep.get(t), tf.linalg.matMul(h, recurrent));
      List<Output<TFloat32>> gates = tf.split(tf.constant(1), z, 4L).output();
      Operand<TFloat32> i = tf.math.sigmoid(gates.get(0));
      Operand<TFloat32> f = tf.math.sigmoid(gates.get(1));
      Operand<TFloat32> o = tf.math.sigmoid(gates.get(3));
      c = tf.math.add(tf.math.mul(f, c), tf.math.mul(i, tf.math.tanh(gates.get(2))));
      h = tf.math.mul(o, tf.math.tanh(c));
    }
    return dense(h, units, 10);
  }

  /**
   * Keras's orthogonal initializer for a {@code (rows, cols)} weight with rows < cols: Q of the QR
   * decomposition of a standard normal {@code (cols, rows)} matrix, columns' signs fixed by R's
   * diagonal, transposed so that the rows are orthonormal.
   */
  private Operand<TFloat32> orthogonal(long rows, long cols) {
    Operand<TFloat32> normal =
        tf.random.randomStandardNormal(tf.constant(new long[] {cols, rows}), TFloat32.class,
            RandomStandardNormal.seed(seed++));
    Qr<TFloat32> qr = tf.linalg.qr(normal);
    Operand<TFloat32> signs = tf.math.sign(tf.linalg.matrixDiagPart(qr.r(), tf.constant(0), tf.constant(0f)));
    return tf.linalg.transpose(tf.math.mul(qr.q(), signs), tf.constant(new int[] {1, 0}));
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

  /** The model's output (logits, or the convnet's probabilities after dropout) for {@code images}. */
  float[] predict(TFloat32 images) {
    try (Result result = session.runner().feed(x, images).fetch(output).run()) {
      return values((TFloat32) result.get(0));
    }
  }

  /** The mean loss on the batch at the current weights, without training. */
  float loss(Batch batch) {
    try (Result result = session.runner().feed(x, batch.features()).feed(y, batch.labels()).fetch(loss).run()) {
      return ((TFloat32) result.get(0)).getFloat();
    }
  }

  /** The weights' values, row-major, in the order Keras lists them (kernel, recurrent kernel, bias...). */
  List<float[]> weightValues() {
    Session.Runner runner = session.runner();
    reads.forEach(runner::fetch);
    List<float[]> values = new ArrayList<>();
    try (Result result = runner.run()) {
      for (int i = 0; i < reads.size(); i++) {
        values.add(values((TFloat32) result.get(i)));
      }
    }
    return values;
  }

  private static float[] values(TFloat32 tensor) {
    float[] flat = new float[(int) tensor.shape().size()];
    tensor.copyTo(DataBuffers.of(flat, false, false));
    return flat;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
