package dev.tfkeras.metrics;

import dev.tfkeras.saving.Config;
import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.framework.op.FrameworkOps;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;

/**
 * Keras's {@code _IoUBase} and its {@code IoU} result: a confusion matrix of class ids accumulated
 * over every batch (rows the labels, columns the predictions, weighted by the sample weights), and
 * the mean over the target classes of {@code tp / (tp + fp + fn)}, classes that never occur left
 * out of the mean. Labels and predictions outside {@code [0, numClasses)} and labels equal to
 * {@code ignoreClass} are left out, as Keras 3 masks them.
 *
 * <p>The batch's matrix is tensorflow-framework's {@code FrameworkOps.math.confusionMatrix} (a
 * scatter of the weights into {@code (label, prediction)} cells), after the masking, so that its
 * bounds checks always hold.
 */
abstract class IntersectionOverUnion extends PredictionMetric {

  final int numClasses;
  final int[] targetClassIds;
  final Integer ignoreClass;
  final boolean sparseYTrue;
  final boolean sparseYPred;
  final int axis;
  private boolean intDtype = true;
  private final State totalCm;

  IntersectionOverUnion(
      String name, int numClasses, int[] targetClassIds, Integer ignoreClass, boolean sparseYTrue,
      boolean sparseYPred, int axis) {
    super(name);
    if (numClasses < 1) {
      throw new IllegalArgumentException(
          "Metric '" + name + "': num_classes must be a positive integer. Received: num_classes=" + numClasses);
    }
    if (targetClassIds.length == 0) {
      throw new IllegalArgumentException(
          "Metric '" + name + "' needs at least one target class id, received none.");
    }
    int max = Arrays.stream(targetClassIds).max().getAsInt();
    int min = Arrays.stream(targetClassIds).min().getAsInt();
    if (max >= numClasses || min < 0) {
      throw new IllegalArgumentException(
          "Target class id " + (max >= numClasses ? max : min) + " is out of range, which is [0, " + numClasses + ").");
    }
    this.numClasses = numClasses;
    this.targetClassIds = targetClassIds.clone();
    this.ignoreClass = ignoreClass;
    this.sparseYTrue = sparseYTrue;
    this.sparseYPred = sparseYPred;
    this.axis = axis;
    this.totalCm = addVariable("total_confusion_matrix", Shape.of(numClasses, numClasses));
  }

  /** The class ids predicted, before masking: the arg-max of dense predictions, or the values. */
  Operand<TFloat32> predictedIds(Ops tf, Operand<? extends TNumber> yPred) {
    return sparseYPred ? MetricOps.cast(tf, yPred, TFloat32.class) : argMax(tf, yPred);
  }

  @Override
  public final void update(
      Operand<? extends TNumber> yTrue, Operand<? extends TNumber> yPred, Operand<? extends TNumber> sampleWeight) {
    Ops tf = updateOps();
    Operand<TInt64> flat = tf.constant(new long[] {-1});
    Operand<TFloat32> t = tf.reshape(sparseYTrue ? MetricOps.cast(tf, yTrue, TFloat32.class) : argMax(tf, yTrue), flat);
    Operand<TFloat32> p = tf.reshape(predictedIds(tf, yPred), flat);
    Operand<TFloat32> w;
    if (sampleWeight == null) {
      w = tf.onesLike(t);
    } else {
      // Keras: weights of rank > 1 flattened, then broadcast to the flattened labels
      Operand<TFloat32> s = MetricOps.cast(tf, sampleWeight, TFloat32.class);
      if (sampleWeight.shape().numDimensions() != 0) {
        s = tf.reshape(s, flat);
      }
      w = tf.broadcastTo(s, tf.shape(t));
    }
    if (intDtype) {
      // Keras's default dtype "int": labels, predictions and weights converted to int32 (truncated)
      t = truncate(tf, t);
      p = truncate(tf, p);
      w = truncate(tf, w);
    }
    Operand<TFloat32> zero = tf.constant(0f);
    Operand<TFloat32> n = tf.constant((float) numClasses);
    Operand<TBool> inBounds = tf.math.logicalAnd(
        tf.math.logicalAnd(tf.math.greaterEqual(t, zero), tf.math.less(t, n)),
        tf.math.logicalAnd(tf.math.greaterEqual(p, zero), tf.math.less(p, n)));
    if (ignoreClass != null) {
      inBounds = tf.math.logicalAnd(inBounds, tf.math.notEqual(t, tf.constant((float) (int) ignoreClass)));
    }
    Operand<TFloat32> zeros = tf.zerosLike(t);
    t = tf.select(inBounds, t, zeros);
    p = tf.select(inBounds, p, zeros);
    w = tf.select(inBounds, w, zeros);
    Operand<TFloat32> cm =
        FrameworkOps.create(tf).math.confusionMatrix(t, p, w, tf.constant((long) numClasses));
    assignAdd(totalCm, cm);
  }

  private static Operand<TFloat32> truncate(Ops tf, Operand<TFloat32> x) {
    return tf.dtypes.cast(tf.dtypes.cast(x, TInt32.class), TFloat32.class);
  }

  /**
   * Keras's {@code dtype} of these metrics: {@code "int"} (the default: weights, labels and
   * predictions truncated to integers, so fractional sample weights count as 0) or {@code
   * "float32"} (fractional weights counted as they are); returns this metric.
   *
   * @throws IllegalArgumentException for another dtype
   */
  @SuppressWarnings("unchecked")
  public <M extends IntersectionOverUnion> M dtype(String dtype) {
    checkNotUpdated("dtype");
    this.intDtype = switch (dtype == null ? "int" : dtype) {
      case "int", "int32", "int64" -> true;
      case "float32", "float64", "float" -> false;
      default -> throw new IllegalArgumentException(
          "Metric '" + name() + "': dtype should be 'int' or 'float32', received '" + dtype + "'.");
    };
    return (M) this;
  }

  /** {@code "int"} or {@code "float32"}, as Keras writes the dtype in the config. */
  public String dtype() {
    return intDtype ? "int" : "float32";
  }

  /** Reads Keras's {@code dtype} ("int" by default) and the remaining keys check; returns {@code metric}. */
  static <M extends IntersectionOverUnion> M configured(M metric, Config config) {
    metric.dtype(config.getString("dtype", "int"));
    config.checkAllRead();
    return metric;
  }

  private Operand<TFloat32> argMax(Ops tf, Operand<? extends TNumber> x) {
    return MetricOps.cast(tf, tf.math.argMax(x, tf.constant(axis), TInt64.class), TFloat32.class);
  }

  @Override
  protected final Operand<TFloat32> computeResult(Ops tf) {
    Operand<TFloat32> cm = totalCm.read(tf);
    Operand<TFloat32> sumOverRow = tf.sum(cm, tf.constant(0));
    Operand<TFloat32> sumOverCol = tf.sum(cm, tf.constant(1));
    Operand<TFloat32> truePositives = tf.linalg.matrixDiagPart(cm, tf.constant(0), tf.constant(0f));
    Operand<TFloat32> denominator = tf.math.sub(tf.math.add(sumOverRow, sumOverCol), truePositives);
    Operand<TInt32> targets = tf.constant(targetClassIds);
    truePositives = tf.gather(truePositives, targets, tf.constant(0));
    denominator = tf.gather(denominator, targets, tf.constant(0));
    Operand<TFloat32> valid = MetricOps.asFloat(tf, tf.math.greater(denominator, tf.constant(1e-9f)));
    Operand<TFloat32> numValid = tf.sum(valid, tf.constant(0));
    // Keras: tp / (denominator + epsilon), absent classes zeroed, then averaged over the valid ones
    Operand<TFloat32> iou = tf.math.mul(tf.math.div(truePositives, tf.math.add(denominator, tf.constant(1e-7f))), valid);
    return tf.math.divNoNan(tf.sum(iou, tf.constant(0)), numValid);
  }

  static int[] range(int n) {
    int[] ids = new int[n];
    Arrays.setAll(ids, i -> i);
    return ids;
  }

  /** A required key of Keras's constructor ({@code num_classes}, {@code target_class_ids}). */
  static Config require(Config config, String... keys) {
    for (String key : keys) {
      if (!config.has(key)) {
        throw new IllegalArgumentException(
            config.owner() + " needs `" + key + "`, a required argument of Keras's constructor; received: "
                + config.toJson() + ".");
      }
    }
    return config;
  }

  static int[] ints(Config config, String key, int[] defaultValue) {
    long[] values = config.getLongs(key);
    if (values == null) {
      return defaultValue;
    }
    return Arrays.stream(values).mapToInt(Math::toIntExact).toArray();
  }

  static Integer ignoreClass(Config config) {
    return config.has("ignore_class") ? config.getInt("ignore_class", 0) : null;
  }

}
