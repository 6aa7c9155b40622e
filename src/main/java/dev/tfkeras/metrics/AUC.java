package dev.tfkeras.metrics;

import dev.tfkeras.saving.Config;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * The area under the ROC or precision-recall curve, approximated over evenly spaced thresholds
 * (Keras {@code AUC}): confusion counts are accumulated per threshold, and the area is a Riemann
 * sum over them when {@link #result()} is read.
 *
 * <p>The thresholds are {@code -1e-7, 1/(n-1), ..., (n-2)/(n-1), 1 + 1e-7}, so predictions of
 * exactly 0 and 1 fall inside. Predictions are clipped to [0, 1] (use {@code fromLogits} for
 * logits); labels are positive when non-zero. Multi-label AUC is not supported: multi-column data
 * is flattened, as Keras does with {@code multi_label=False}.
 */
public class AUC extends PredictionMetric {

  /** Keras's {@code backend.epsilon()}: how far the end thresholds lie outside [0, 1]. */
  static final double EPSILON = 1e-7;

  /** Which curve's area to compute. */
  public enum Curve {
    /** True positive rate against false positive rate. */
    ROC,
    /** Precision against recall. */
    PR
  }

  /** How the area between two thresholds is summed (Keras's {@code summation_method}). */
  public enum Summation {
    /**
     * Mid-point (trapezoid) rule for ROC; for PR, interpolates true and false positives rather
     * than precision (Davis and Goadrich 2006).
     */
    INTERPOLATION,
    /** The lower of the two heights: a lower bound. */
    MINORING,
    /** The higher of the two heights: an upper bound. */
    MAJORING
  }

  private final int numThresholds;
  private Curve curve;
  private Summation summation;
  private boolean fromLogits;
  private final ConfusionMatrix.Spec spec;
  private final State truePositives;
  private final State falsePositives;
  private final State trueNegatives;
  private final State falseNegatives;

  /** ROC AUC over 200 thresholds, named {@code auc}. */
  public AUC() {
    this("auc");
  }

  public AUC(String name) {
    this(name, 200, Curve.ROC, Summation.INTERPOLATION, false);
  }

  public AUC(String name, Curve curve) {
    this(name, 200, curve, Summation.INTERPOLATION, false);
  }

  /**
   * Keras's form without explicit thresholds or multi-label options.
   *
   * @param numThresholds how many thresholds discretize the curve, at least 2
   * @param fromLogits whether predictions are logits, passed through a sigmoid first
   */
  public AUC(String name, int numThresholds, Curve curve, Summation summation, boolean fromLogits) {
    super(name);
    if (numThresholds <= 1) {
      throw new IllegalArgumentException(
          "Argument `num_thresholds` must be an integer > 1. Received: num_thresholds="
              + numThresholds + ".");
    }
    this.numThresholds = numThresholds;
    this.curve = Objects.requireNonNull(curve, "curve");
    this.summation = Objects.requireNonNull(summation, "summation");
    this.fromLogits = fromLogits;
    this.spec = new ConfusionMatrix.Spec(thresholds(numThresholds), true, null, null);
    Shape shape = Shape.of(numThresholds);
    truePositives = addVariable("true_positives", shape);
    falsePositives = addVariable("false_positives", shape);
    trueNegatives = addVariable("true_negatives", shape);
    falseNegatives = addVariable("false_negatives", shape);
  }

  /** The thresholds Keras uses for {@code n}: evenly spaced, the ends moved out by epsilon. */
  static float[] thresholds(int n) {
    float[] thresholds = new float[n];
    thresholds[0] = (float) (0.0 - EPSILON);
    for (int i = 1; i < n - 1; i++) {
      thresholds[i] = (float) (i * 1.0 / (n - 1));
    }
    thresholds[n - 1] = (float) (1.0 + EPSILON);
    return thresholds;
  }

  /** The thresholds, in ascending order. */
  public float[] thresholds() {
    return spec.thresholds().clone();
  }

  public int numThresholds() {
    return numThresholds;
  }

  public Curve curve() {
    return curve;
  }

  /**
   * Keras's {@code curve}: {@link Curve#ROC} (default) or {@link Curve#PR}; returns this.
   *
   * @throws IllegalStateException after the first update
   */
  public AUC curve(Curve curve) {
    checkNotUpdated("curve");
    this.curve = Objects.requireNonNull(curve, "curve");
    return this;
  }

  /**
   * {@link #curve(Curve)} by Keras's name, {@code "ROC"} or {@code "PR"} (any case); returns this.
   *
   * @throws IllegalArgumentException for another name
   * @throws IllegalStateException after the first update
   */
  public AUC curve(String curve) {
    return curve(kerasEnum(Curve.class, "curve", curve));
  }

  /**
   * Keras's {@code summation_method} (default {@link Summation#INTERPOLATION}); returns this.
   *
   * @throws IllegalStateException after the first update
   */
  public AUC summationMethod(Summation summation) {
    checkNotUpdated("summation_method");
    this.summation = Objects.requireNonNull(summation, "summation");
    return this;
  }

  /**
   * {@link #summationMethod(Summation)} by Keras's name: {@code "interpolation"}, {@code
   * "minoring"} or {@code "majoring"}; returns this.
   *
   * @throws IllegalArgumentException for another name
   * @throws IllegalStateException after the first update
   */
  public AUC summationMethod(String summation) {
    return summationMethod(kerasEnum(Summation.class, "summation_method", summation));
  }

  /**
   * Keras's {@code from_logits}: predictions pass through a sigmoid first (default false); returns
   * this.
   *
   * @throws IllegalStateException after the first update
   */
  public AUC fromLogits(boolean fromLogits) {
    checkNotUpdated("from_logits");
    this.fromLogits = fromLogits;
    return this;
  }

  /** Whether predictions are logits, passed through a sigmoid first. */
  public boolean fromLogits() {
    return fromLogits;
  }

  private static <E extends Enum<E>> E kerasEnum(Class<E> type, String option, String name) {
    for (E value : type.getEnumConstants()) {
      if (value.name().equalsIgnoreCase(java.util.Objects.requireNonNull(name, option))) {
        return value;
      }
    }
    throw new IllegalArgumentException(
        "Invalid `" + option + "` argument value \"" + name + "\". Expected one of: "
            + java.util.Arrays.toString(type.getEnumConstants()) + ".");
  }

  public Summation summation() {
    return summation;
  }

  @Override
  public void update(
      Operand<? extends TNumber> yTrue,
      Operand<? extends TNumber> yPred,
      Operand<? extends TNumber> sampleWeight) {
    Ops tf = updateOps();
    Operand<? extends TNumber> predictions =
        fromLogits ? tf.math.sigmoid(MetricOps.cast(tf, yPred, TFloat32.class)) : yPred;
    ConfusionMatrix counts =
        ConfusionMatrix.of(tf, yTrue, predictions, sampleWeight, spec, true, name());
    assignAdd(truePositives, counts.tp());
    assignAdd(falsePositives, counts.fp());
    assignAdd(trueNegatives, counts.tn());
    assignAdd(falseNegatives, counts.fn());
  }

  @Override
  protected Operand<TFloat32> computeResult(Ops tf) {
    Operand<TFloat32> tp = truePositives.read(tf);
    Operand<TFloat32> fp = falsePositives.read(tf);
    Operand<TFloat32> tn = trueNegatives.read(tf);
    Operand<TFloat32> fn = falseNegatives.read(tf);
    if (curve == Curve.PR && summation == Summation.INTERPOLATION) {
      return interpolatedPrAuc(tf, tp, fp, fn);
    }
    Operand<TFloat32> recall = tf.math.divNoNan(tp, tf.math.add(tp, fn));
    Operand<TFloat32> x;
    Operand<TFloat32> y;
    if (curve == Curve.ROC) {
      x = tf.math.divNoNan(fp, tf.math.add(fp, tn));
      y = recall;
    } else {
      x = recall;
      y = tf.math.divNoNan(tp, tf.math.add(tp, fp));
    }
    Operand<TFloat32> heights =
        switch (summation) {
          case INTERPOLATION -> tf.math.div(tf.math.add(head(tf, y), tail(tf, y)), tf.constant(2f));
          case MINORING -> tf.math.minimum(head(tf, y), tail(tf, y));
          case MAJORING -> tf.math.maximum(head(tf, y), tail(tf, y));
        };
    Operand<TFloat32> terms = tf.math.mul(tf.math.sub(head(tf, x), tail(tf, x)), heights);
    return tf.sum(terms, tf.constant(0));
  }

  /**
   * Keras's {@code interpolate_pr_auc}: between two thresholds, true positives and predicted
   * positives vary linearly, and precision is integrated in closed form.
   */
  private Operand<TFloat32> interpolatedPrAuc(
      Ops tf, Operand<TFloat32> tp, Operand<TFloat32> fp, Operand<TFloat32> fn) {
    Operand<TFloat32> zero = tf.constant(0f);
    Operand<TFloat32> dtp = tf.math.sub(head(tf, tp), tail(tf, tp));
    Operand<TFloat32> p = tf.math.add(tp, fp);
    Operand<TFloat32> dp = tf.math.sub(head(tf, p), tail(tf, p));
    Operand<TFloat32> slope = tf.math.divNoNan(dtp, tf.math.maximum(dp, zero));
    Operand<TFloat32> intercept = tf.math.sub(tail(tf, tp), tf.math.mul(slope, tail(tf, p)));
    Operand<TFloat32> safeRatio =
        tf.select(
            tf.math.logicalAnd(
                tf.math.greater(head(tf, p), zero), tf.math.greater(tail(tf, p), zero)),
            tf.math.divNoNan(head(tf, p), tf.math.maximum(tail(tf, p), zero)),
            tf.onesLike(tail(tf, p)));
    Operand<TFloat32> increments =
        tf.math.divNoNan(
            tf.math.mul(slope, tf.math.add(dtp, tf.math.mul(intercept, tf.math.log(safeRatio)))),
            tf.math.maximum(tf.math.add(tail(tf, tp), tail(tf, fn)), zero));
    return tf.sum(increments, tf.constant(0));
  }

  /** {@code x[:n-1]}. */
  private Operand<TFloat32> head(Ops tf, Operand<TFloat32> x) {
    return tf.slice(x, tf.constant(new int[] {0}), tf.constant(new int[] {numThresholds - 1}));
  }

  /** {@code x[1:]}. */
  private Operand<TFloat32> tail(Ops tf, Operand<TFloat32> x) {
    return tf.slice(x, tf.constant(new int[] {1}), tf.constant(new int[] {numThresholds - 1}));
  }

  /**
   * Keras's config: {@code name}, {@code dtype}, {@code num_thresholds}, {@code curve} ({@code
   * "ROC"}, {@code "PR"}), {@code summation_method} ({@code "interpolation"}...), {@code
   * multi_label} (false), {@code num_labels} and {@code label_weights} (null), {@code from_logits}.
   */
  @Override
  public Config getConfig() {
    return super.getConfig()
        .put("num_thresholds", numThresholds)
        .put("curve", curve.name())
        .put("summation_method", summation)
        .put("multi_label", false)
        .putNull("num_labels", "label_weights")
        .put("from_logits", fromLogits);
  }

  /**
   * Keras's {@code AUC.from_config}, with Keras's defaults (200 thresholds, ROC, interpolation).
   *
   * @throws IllegalArgumentException for explicit {@code thresholds}, {@code multi_label} true,
   *     {@code num_labels} or {@code label_weights}, which tfkeras does not support
   */
  public static AUC fromConfig(Config config) {
    AUC auc = new AUC(config.getString("name", "auc"), config.getInt("num_thresholds", 200), Curve.ROC,
        Summation.INTERPOLATION, config.getBoolean("from_logits", false));
    auc.curve(config.getString("curve", "ROC"));
    auc.summationMethod(config.getString("summation_method", "interpolation"));
    if (config.getBoolean("multi_label", false)) {
      throw new IllegalArgumentException(config.owner() + " sets multi_label=true, which tfkeras does not"
          + " support: its AUC flattens multi-column data (multi_label=false).");
    }
    config.requireDefault("num_labels", "label_weights", "thresholds");
    return configure(auc, config);
  }
}
