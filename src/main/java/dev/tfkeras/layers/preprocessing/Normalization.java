package dev.tfkeras.layers.preprocessing;

import dev.tfkeras.data.Batch;
import dev.tfkeras.data.Dataset;
import dev.tfkeras.initializers.Constant;
import dev.tfkeras.initializers.Ones;
import dev.tfkeras.initializers.Zeros;
import dev.tfkeras.layers.Layer;
import dev.tfkeras.saving.Config;
import dev.tfkeras.utils.HostArrays;
import dev.tfkeras.variables.Variable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code Normalization}: shifts and scales inputs to zero mean and unit variance per index
 * of {@code axis} (default the last axis), as {@code (x - mean) / max(sqrt(variance), 1e-7)}, or
 * back with {@link #invert}.
 *
 * <p>The mean and variance are either given ({@code new Normalization(3.0, 2.0)}, then constants,
 * no weights) or learned by {@link #adapt}, which computes them in one streamed pass over a {@link
 * Dataset} or a host array, in double precision (see {@link MeanVariance}). Adapted statistics live
 * in the non-trainable weights {@code mean} and {@code variance} (shape: the kept axes' sizes) and
 * {@code count} (a scalar Keras keeps for old saved models and never updates; float32 here, where
 * every weight is float32), so they save and load with the model.
 *
 * <p>Lifecycle: {@code adapt} may run before the layer is built: it fixes the sizes of the kept
 * axes (the input's last-axis size, by default), and the first apply creates the weights with the
 * adapted values. {@code adapt} after the build checks the data's kept axes against the built
 * input and assigns the weights, as Keras does.
 *
 * <pre>{@code
 * Normalization norm = new Normalization();
 * norm.adapt(xTrain);                       // keras: norm.adapt(x_train)
 * Sequential model = new Sequential(Input.of(4), norm, new Dense(1));
 * }</pre>
 */
public class Normalization extends Layer {

  /** Keras's {@code backend.epsilon()}. */
  private static final float EPSILON = 1e-7f;

  private int[] axis = {-1};
  private final Shape givenShape;
  private final double[] givenMean;
  private final double[] givenVariance;
  private boolean invert;

  // adapt(): the data's shape, the kept axes and the statistics, until (and after) the build
  private Shape adaptedShape;
  private long[] adaptedKeptShape;
  private float[] adaptedMean;
  private float[] adaptedVariance;

  // build()
  private long[] broadcastShape;
  private float[] constantMean;
  private float[] constantVariance;
  private Variable<TFloat32> mean;
  private Variable<TFloat32> variance;

  /** A layer whose mean and variance {@link #adapt} learns, normalizing each index of axis -1. */
  public Normalization() {
    this.givenShape = null;
    this.givenMean = null;
    this.givenVariance = null;
  }

  /** Keras's {@code Normalization(mean=3.0, variance=2.0)}: one mean and variance for every index. */
  public Normalization(double mean, double variance) {
    this(Shape.scalar(), new double[] {mean}, new double[] {variance});
  }

  /**
   * Keras's {@code Normalization(mean=[...], variance=[...])}: one value per index of the (last)
   * kept axis, broadcast over the others.
   *
   * @throws IllegalArgumentException if only one is given or their lengths differ
   */
  public Normalization(double[] mean, double[] variance) {
    this(mean == null ? null : Shape.of(mean.length), mean, variance);
  }

  /**
   * Mean and variance of any rank up to the number of kept axes, aligned with the kept axes from
   * the right, as Keras broadcasts them.
   *
   * @throws IllegalArgumentException if only one is given or their shapes differ
   */
  public Normalization(NdArray<?> mean, NdArray<?> variance) {
    this(mean == null ? null : mean.shape(),
        mean == null ? null : HostArrays.toDoubles(mean),
        variance == null ? null : shapeChecked(mean, variance));
  }

  private static double[] shapeChecked(NdArray<?> mean, NdArray<?> variance) {
    if (mean != null && !mean.shape().equals(variance.shape())) {
      throw new IllegalArgumentException(
          "When setting values directly, `mean` and `variance` must have the same shape. Received:"
              + " mean shape " + format(mean.shape()) + " and variance shape "
              + format(variance.shape()));
    }
    return HostArrays.toDoubles(variance);
  }

  private Normalization(Shape shape, double[] mean, double[] variance) {
    if ((mean == null) != (variance == null)) {
      throw new IllegalArgumentException(
          "When setting values directly, both `mean` and `variance` must be set. Received: mean="
              + (mean == null ? "None" : Arrays.toString(mean)) + " and variance="
              + (variance == null ? "None" : Arrays.toString(variance)));
    }
    if (mean != null && mean.length != variance.length) {
      throw new IllegalArgumentException(
          "When setting values directly, `mean` and `variance` must have the same shape. Received:"
              + " mean shape (" + mean.length + ",) and variance shape (" + variance.length + ",)");
    }
    this.givenShape = mean == null ? null : shape;
    this.givenMean = mean == null ? null : mean.clone();
    this.givenVariance = variance == null ? null : variance.clone();
  }

  /**
   * The axes that have their own mean and variance (Keras's {@code axis}, default -1); no axes,
   * {@code axis()}, is Keras's {@code axis=None}: one scalar mean and variance over everything.
   * Returns this.
   */
  public Normalization axis(int... axis) {
    checkNotBuilt("axis");
    if (adaptedShape != null) {
      throw new IllegalStateException(
          "Cannot change axis of layer '" + name() + "' after adapt(): set it before adapting.");
    }
    this.axis = axis.clone();
    return this;
  }

  /**
   * Whether the layer turns normalized values back into the original scale, {@code mean + x ·
   * max(sqrt(variance), 1e-7)} (default false). Returns this.
   */
  public Normalization invert(boolean invert) {
    checkNotBuilt("invert");
    this.invert = invert;
    return this;
  }

  /** Keras's axis tuple text: {@code (-1,)}, {@code (1, 2)}, {@code ()}. */
  private String axisText() {
    String inner = Arrays.stream(axis).mapToObj(Integer::toString).collect(Collectors.joining(", "));
    return "(" + inner + (axis.length == 1 ? ",)" : ")");
  }

  /** The kept axes for inputs of {@code rank}, sorted and non-negative, checking their range. */
  private int[] keepAxis(int rank) {
    for (int a : axis) {
      if (a < -rank || a >= rank) {
        throw new IllegalArgumentException(
            "All `axis` values must be in the range [-ndim, ndim). Received inputs with ndim="
                + rank + ", while axis=" + axisText());
      }
    }
    return Arrays.stream(axis).map(a -> a < 0 ? a + rank : a).distinct().sorted().toArray();
  }

  private long[] keptShape(Shape shape, int[] keep) {
    long[] out = new long[keep.length];
    for (int i = 0; i < keep.length; i++) {
      if (shape.get(keep[i]) == Shape.UNKNOWN_SIZE) {
        throw new IllegalArgumentException(
            "All `axis` values to be kept must have a known shape. Received axis=" + axisText()
                + ", inputs.shape=" + format(shape) + ", with unknown axis at index " + keep[i]);
      }
      out[i] = shape.get(keep[i]);
    }
    return out;
  }

  @Override
  protected boolean supportsMasking() {
    return true;
  }

  @Override
  protected void validateInput(Shape shape) {
    int[] keep = keepAxis(shape.numDimensions());
    long[] kept = keptShape(shape, keep);
    if (givenShape != null && givenShape.numDimensions() > keep.length) {
      throw new IllegalArgumentException(
          "The rank of `mean` must be less than or equal to the number of axes (" + keep.length
              + "). Received: mean shape " + format(givenShape) + " for axis " + axisText());
    }
    long[] expected = broadcastShape != null ? keptOf(broadcastShape, keep) : adaptedKeptShape;
    if (expected != null && !Arrays.equals(expected, kept)) {
      throw incompatible(
          "expected the kept axes " + axisText() + " to have sizes " + Arrays.toString(expected)
              + " (from " + (isBuilt() ? "the first call" : "adapt()") + "), found "
              + Arrays.toString(kept),
          shape);
    }
  }

  private static long[] keptOf(long[] shape, int[] keep) {
    return keep.length > 0 && keep[keep.length - 1] >= shape.length
        ? null
        : Arrays.stream(keep).mapToLong(d -> shape[d]).toArray();
  }

  @Override
  protected void build(Shape inputShape) {
    int rank = inputShape.numDimensions();
    int[] keep = keepAxis(rank);
    long[] kept = keptShape(inputShape, keep);
    broadcastShape = new long[rank];
    Arrays.fill(broadcastShape, 1);
    for (int i = 0; i < keep.length; i++) {
      broadcastShape[keep[i]] = kept[i];
    }
    if (givenMean != null) {
      constantMean = broadcastGiven(givenMean, keep);
      constantVariance = broadcastGiven(givenVariance, keep);
      return;
    }
    Shape weightShape = Shape.of(kept);
    mean = addWeight("mean", weightShape, adaptedMean == null ? new Zeros() : Constant.values(adaptedMean), false);
    variance =
        addWeight("variance", weightShape, adaptedVariance == null ? new Ones() : Constant.values(adaptedVariance), false);
    addWeight("count", Shape.scalar(), new Zeros(), false);
  }

  /**
   * The given mean or variance broadcast to the broadcast shape, its axes aligned with the kept
   * axes from the right (Keras's "general broadcasting").
   */
  private float[] broadcastGiven(double[] values, int[] keep) {
    int rank = broadcastShape.length;
    long[] expanded = new long[rank];
    Arrays.fill(expanded, 1);
    int givenRank = givenShape.numDimensions();
    for (int i = 1; i <= givenRank; i++) {
      int d = keep[keep.length - i];
      long size = givenShape.get(givenRank - i);
      if (size != 1 && size != broadcastShape[d]) {
        throw new IllegalArgumentException(
            "Cannot broadcast `mean` and `variance` of shape " + format(givenShape)
                + " to the kept axes " + axisText() + " of the input, of sizes "
                + Arrays.toString(keptOf(broadcastShape, keep)) + ". Give one value per index of"
                + " the kept axes, or a scalar.");
      }
      expanded[d] = size;
    }
    int n = (int) Arrays.stream(broadcastShape).reduce(1, Math::multiplyExact);
    float[] out = new float[n];
    long[] coords = new long[rank];
    for (int i = 0; i < n; i++) {
      long source = 0;
      for (int d = 0; d < rank; d++) {
        source = source * expanded[d] + (expanded[d] == 1 ? 0 : coords[d]);
      }
      out[i] = (float) values[(int) source];
      for (int d = rank - 1; d >= 0; d--) {
        if (++coords[d] < broadcastShape[d]) {
          break;
        }
        coords[d] = 0;
      }
    }
    return out;
  }

  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
    Ops tf = tf();
    Shape shape = Shape.of(broadcastShape);
    Operand<TFloat32> m;
    Operand<TFloat32> v;
    if (mean != null) {
      Operand<org.tensorflow.types.TInt64> to = tf.constant(broadcastShape);
      m = tf.reshape(mean.read(tf), to);
      v = tf.reshape(variance.read(tf), to);
    } else {
      m = tf.constant(shape, DataBuffers.of(constantMean, true, false));
      v = tf.constant(shape, DataBuffers.of(constantVariance, true, false));
    }
    Operand<TFloat32> scale = tf.math.maximum(tf.math.sqrt(v), tf.constant(EPSILON));
    return invert
        ? tf.math.add(m, tf.math.mul(input, scale))
        : tf.math.div(tf.math.sub(input, m), scale);
  }

  /**
   * Computes the mean and variance of {@code data}, Keras's {@code adapt(data)}, and stores them in
   * the layer (its weights, once built).
   *
   * @param data a batched {@link Dataset} (its inputs; each element a batch, as Keras assumes of
   *     a dataset), an unbatched one (batched by 128 here, as Keras does for unbatched scalars), or
   *     a host array with the examples on axis 0: an {@code NdArray} or a Java array ({@code
   *     float[][]}, {@code double[]}...), reduced over its own shape as Keras reduces a NumPy array
   * @throws IllegalArgumentException if the data has no values, or kept axes that do not match the
   *     built layer or the previous batches
   * @throws IllegalStateException if the layer was given its mean and variance
   */
  public void adapt(Object data) {
    Objects.requireNonNull(data, "data");
    if (givenMean != null) {
      throw new IllegalStateException(
          "Layer '" + name() + "' was given its mean and variance when it was created, so adapt()"
              + " has nothing to learn. Create it as new Normalization() to adapt it to data.");
    }
    MeanVariance statistics;
    Shape dataShape;
    int[] keep;
    if (data instanceof Dataset dataset) {
      Dataset batches = dataset.isBatched() ? dataset : dataset.batch(128);
      if (batches.featureCount() != 1) {
        throw new IllegalArgumentException(
            "adapt() reads the one input of each batch, and this dataset has "
                + batches.featureCount() + " inputs: " + batches.elementSpec() + ". Map it to the"
                + " input to adapt on first.");
      }
      dataShape = batches.featureShape();
      keep = checkAdaptShape(dataShape);
      statistics = new MeanVariance(dataShape.numDimensions(), keep, keptShape(dataShape, keep));
      for (Batch batch : batches) {
        try (batch) {
          NdArray<?> x = (NdArray<?>) batch.features();
          Shape shape = x.shape();
          if (shape.numDimensions() != dataShape.numDimensions()
              || !Arrays.equals(keptShape(dataShape, keep), keptOf(shape.asArray(), keep))) {
            throw new IllegalArgumentException(
                "adapt() yielded a batch with incompatible shape. Expected " + format(dataShape)
                    + ", got " + format(shape) + ".");
          }
          statistics.add(HostArrays.toDoubles(x), shape.asArray());
        }
      }
    } else {
      NdArray<?> array = HostArrays.asNdArray(data, "a Dataset or data to adapt on");
      dataShape = array.shape();
      keep = checkAdaptShape(dataShape);
      statistics = new MeanVariance(dataShape.numDimensions(), keep, keptShape(dataShape, keep));
      statistics.add(HostArrays.toDoubles(array), dataShape.asArray());
    }
    if (statistics.count() == 0) {
      throw new IllegalArgumentException(
          "adapt() received an empty iterable (no batches). Expected at least one batch. Pass"
              + " data with at least one example.");
    }
    adaptedShape = dataShape;
    adaptedKeptShape = keptShape(dataShape, keep);
    adaptedMean = toFloats(statistics.mean());
    adaptedVariance = toFloats(statistics.variance());
    if (mean != null) {
      try (TFloat32 m = TFloat32.tensorOf(mean.shape(), DataBuffers.of(adaptedMean, true, false));
          TFloat32 v = TFloat32.tensorOf(variance.shape(), DataBuffers.of(adaptedVariance, true, false))) {
        mean.assign(m);
        variance.assign(v);
      }
    }
  }

  /** The kept axes of data of {@code shape}, checked against the built layer, as Keras checks. */
  private int[] checkAdaptShape(Shape shape) {
    int[] keep = keepAxis(shape.numDimensions());
    if (broadcastShape != null) {
      long[] expected = keptOf(broadcastShape, keep);
      long[] received = keptOf(shape.asArray(), keep);
      if (shape.numDimensions() != broadcastShape.length || !Arrays.equals(expected, received)) {
        throw new IllegalArgumentException(
            "The layer was built with input_shape=" + format(inputShape()) + ", but adapt() is being"
                + " called with data with an incompatible shape, data.shape=" + format(shape));
      }
    }
    return keep;
  }

  private static float[] toFloats(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }

  /**
   * Keras's {@code layer.mean}: the mean in the broadcast shape (1 on reduced axes), e.g. (1, 4)
   * for inputs (None, 4): the adapted, loaded or given values.
   *
   * @throws IllegalStateException before the layer is built or adapted
   */
  public FloatNdArray mean() {
    return statistic(mean, constantMean, adaptedMean, "mean");
  }

  /** Keras's {@code layer.variance}, as {@link #mean()}. */
  public FloatNdArray variance() {
    return statistic(variance, constantVariance, adaptedVariance, "variance");
  }

  private FloatNdArray statistic(Variable<TFloat32> weight, float[] constant, float[] adapted, String what) {
    float[] values;
    long[] shape;
    if (weight != null) {
      try (TFloat32 value = weight.value()) {
        values = new float[(int) value.shape().size()];
        value.copyTo(DataBuffers.of(values, false, false));
      }
      shape = broadcastShape;
    } else if (constant != null) {
      values = constant;
      shape = broadcastShape;
    } else if (adapted != null) {
      values = adapted;
      int[] keep = keepAxis(adaptedShape.numDimensions());
      shape = new long[adaptedShape.numDimensions()];
      Arrays.fill(shape, 1);
      for (int i = 0; i < keep.length; i++) {
        shape[keep[i]] = adaptedKeptShape[i];
      }
    } else {
      throw new IllegalStateException(
          "Layer '" + name() + "' has no " + what + " yet: call adapt(data) or apply it to an input"
              + " first.");
    }
    return NdArrays.wrap(Shape.of(shape), DataBuffers.of(values.clone(), true, false));
  }

  /** Whether {@link #adapt} has computed the statistics. */
  public boolean isAdapted() {
    return adaptedMean != null;
  }

  /**
   * Keras's {@code Normalization.get_config}: {@code axis} (a list), {@code invert}, {@code mean}
   * and {@code variance} as given (a number or nested lists), null when adapted: adapted statistics
   * are weights, saved with the model's weights as Keras saves them.
   */
  @Override
  public Config getConfig() {
    return super.getConfig()
        .put("axis", axis)
        .put("invert", invert)
        .put("mean", nested(givenMean))
        .put("variance", nested(givenVariance));
  }

  /** A given statistic in its shape: a number for a scalar, else nested lists. */
  private Object nested(double[] values) {
    if (values == null) {
      return null;
    }
    if (givenShape.numDimensions() == 0) {
      return values[0];
    }
    return nested(values, 0, 0, values.length);
  }

  private List<Object> nested(double[] values, int dim, int start, int count) {
    long size = givenShape.get(dim);
    int step = (int) (count / size);
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      out.add(dim == givenShape.numDimensions() - 1 ? (Object) values[start + i]
          : nested(values, dim + 1, start + i * step, step));
    }
    return out;
  }

  /** Keras's {@code Normalization.from_config}: {@code axis} an int, a list or null; given statistics of any rank. */
  public static Normalization fromConfig(Config config) {
    int[] axis;
    if (!config.has("axis")) {
      axis = config.containsKey("axis") ? new int[0] : new int[] {-1};
    } else if (config.get("axis") instanceof Number) {
      axis = new int[] {config.getInt("axis", -1)};
    } else {
      axis = Arrays.stream(config.getLongs("axis")).mapToInt(Math::toIntExact).toArray();
    }
    Object mean = config.get("mean");
    Object variance = config.get("variance");
    Normalization layer;
    if (mean == null && variance == null) {
      layer = new Normalization();
    } else {
      Shape meanShape = statisticShape(config, "mean", mean);
      Shape varianceShape = statisticShape(config, "variance", variance);
      if (!meanShape.equals(varianceShape)) {
        throw new IllegalArgumentException(
            "Layer " + config.owner() + ": `mean` and `variance` must have the same shape. Received:"
                + " mean shape " + format(meanShape) + " and variance shape " + format(varianceShape));
      }
      layer = new Normalization(meanShape, flat(mean), flat(variance));
    }
    layer.axis(axis).invert(config.getBoolean("invert", false));
    return configured(layer, config);
  }

  /** The shape of a number or nested lists of numbers. */
  private static Shape statisticShape(Config config, String key, Object value) {
    List<Long> dims = new ArrayList<>();
    Object level = value;
    while (level instanceof List<?> list) {
      dims.add((long) list.size());
      level = list.isEmpty() ? null : list.get(0);
    }
    if (value == null || (level != null && !(level instanceof Number))) {
      throw config.invalid(key, "a number or (nested) lists of numbers");
    }
    return Shape.of(dims.stream().mapToLong(Long::longValue).toArray());
  }

  private static double[] flat(Object value) {
    List<Double> out = new ArrayList<>();
    flatten(value, out);
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static void flatten(Object value, List<Double> out) {
    if (value instanceof List<?> list) {
      list.forEach(v -> flatten(v, out));
    } else {
      out.add(((Number) value).doubleValue());
    }
  }
}
