package dev.tfkeras.losses;

import dev.tfkeras.function.Trace;
import dev.tfkeras.saving.Config;
import dev.tfkeras.saving.Configurable;
import java.util.Objects;
import java.util.regex.Pattern;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * A loss function {@code (yTrue, yPred[, sampleWeight]) -> loss}, as Keras's {@code Loss.__call__}:
 * the subclass computes the loss values ({@link #perSample}, Keras's {@code call}), which are then
 * multiplied by the sample weights and reduced (by default the sum divided by the number of values).
 *
 * <p>Lifecycle: construct once with its settings (immutable), then {@link #call} inside a traced
 * function (a train step, a {@code TfFunction} body); each call adds ops to that function's graph.
 *
 * <pre>{@code
 * var loss = new BinaryCrossentropy(true);
 * Operand<TFloat32> value = loss.call(labels, logits, weights); // in a TfFunction body
 * }</pre>
 */
public abstract class Loss implements Configurable {

  private static final Pattern SCOPE_NAME = Pattern.compile("[A-Za-z0-9.][A-Za-z0-9_.\\-]*");

  private String name;
  private Reduction reduction;
  private boolean called;

  /** A loss named after its class in snake case ({@code MyLoss -> my_loss}), as Keras's auto_name. */
  protected Loss(Reduction reduction) {
    this.reduction = Objects.requireNonNull(reduction, "reduction");
    this.name = snakeCase(getClass().getSimpleName());
  }

  /**
   * @param name the loss's name, also its op scope (letters, digits, {@code _ . -})
   * @param reduction how the weighted values are reduced
   */
  protected Loss(String name, Reduction reduction) {
    this.name = checkName(name);
    this.reduction = Objects.requireNonNull(reduction, "reduction");
  }

  private static String checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (!SCOPE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "A loss name must be letters, digits, '_', '.' or '-' (it names a TensorFlow scope),"
              + " received '" + name + "'.");
    }
    return name;
  }

  /** The unweighted loss; see {@link #call(Operand, Operand, Operand)}. */
  public final Operand<TFloat32> call(Operand<? extends TNumber> yTrue, Operand<TFloat32> yPred) {
    return call(yTrue, yPred, null);
  }

  /**
   * The weighted, reduced loss, built in the function being traced.
   *
   * @param yTrue targets of any numeric dtype (class indices for sparse losses)
   * @param yPred model outputs
   * @param sampleWeight weights of any numeric dtype, rank-matched to the loss values as in Keras
   *     ({@code (batch,)}, {@code (batch, 1)}, the values' shape, or a scalar); null for unweighted
   * @throws IllegalArgumentException at trace time if the shapes cannot match
   */
  public final Operand<TFloat32> call(
      Operand<? extends TNumber> yTrue, Operand<TFloat32> yPred,
      Operand<? extends TNumber> sampleWeight) {
    Objects.requireNonNull(yTrue, "yTrue");
    Objects.requireNonNull(yPred, "yPred");
    called = true;
    Ops tf = Trace.current().ops().withSubScope(name);
    Operand<TFloat32> values = perSample(tf, yTrue, yPred);
    return WeightedReduction.reduce(tf, values, sampleWeight, reduction, name);
  }

  /** The loss's name: Keras's default for the built-in losses ({@code "binary_crossentropy"}). */
  public String name() {
    return name;
  }

  /**
   * Keras's {@code name}: the loss's op scope and the key of its value in a model's logs; returns
   * this.
   *
   * @throws IllegalArgumentException for a name that is not letters, digits, {@code _ . -}
   * @throws IllegalStateException once the loss has been called
   */
  public Loss name(String name) {
    checkNotCalled("name");
    this.name = checkName(name);
    return this;
  }

  /**
   * Keras's config of a loss: {@code name} and {@code reduction}; the built-in losses add their own
   * keys ({@code from_logits}, {@code delta}, ...).
   */
  @Override
  public Config getConfig() {
    return new Config().put("name", name).put("reduction", reduction.kerasName());
  }

  /**
   * Reads the keys every loss has into {@code loss}, built by a subclass's {@code fromConfig} from
   * its own keys, then checks that no key is left unread; returns {@code loss}. {@code reduction}
   * null is Keras's None (no reduction); tf.keras 2's {@code "auto"} is its default, {@code
   * sum_over_batch_size}. {@code dtype} is accepted when it is float32 (the losses compute in it).
   *
   * @throws IllegalArgumentException for another reduction or dtype, or an unknown key
   */
  protected static <L extends Loss> L configure(L loss, Config config) {
    loss.name(config.getString("name", loss.name()));
    if (config.containsKey("reduction")) {
      String reduction = config.getString("reduction", null);
      loss.reduction("auto".equals(reduction) ? Reduction.SUM_OVER_BATCH_SIZE : Reduction.get(reduction));
    }
    String dtype = config.getString("dtype", "float32");
    if (!dtype.equals("float32")) {
      throw config.invalid("dtype", "'float32' or null: tfkeras's losses compute in float32");
    }
    // tf.keras 2.13+ writes the loss's own function as `fn`: redundant with the class
    String fn = config.getString("fn", null);
    if (fn != null && !isFunctionOf(fn, loss)) {
      throw config.invalid("fn", "the function of " + loss.getClass().getSimpleName() + " (a loss of its own"
          + " needs a class registered with CustomObjects)");
    }
    config.checkAllRead();
    return loss;
  }

  private static boolean isFunctionOf(String fn, Loss loss) {
    try {
      return Losses.get(fn).getClass() == loss.getClass();
    } catch (IllegalArgumentException unknown) {
      return false;
    }
  }

  /** Reads Keras's {@code axis} of a loss that reduces over the last axis only: -1 is accepted. */
  static void requireLastAxis(Config config) {
    if (config.getInt("axis", -1) != -1) {
      throw new IllegalArgumentException(
          config.owner() + " has axis=" + config.get("axis") + "; tfkeras computes this loss over the last"
              + " axis only (axis=-1). Move the class axis last (e.g. with a Permute layer).");
    }
  }
  /**
   * Keras's {@code reduction} (default {@link Reduction#SUM_OVER_BATCH_SIZE}); returns this. The
   * built-in losses return their own type.
   *
   * @throws IllegalStateException once the loss has been called
   */
  public Loss reduction(Reduction reduction) {
    checkNotCalled("reduction");
    this.reduction = Objects.requireNonNull(reduction, "reduction");
    return this;
  }

  /**
   * {@link #reduction(Reduction)} by Keras's name: {@code "sum_over_batch_size"}, {@code "sum"},
   * {@code "none"} or {@code "mean_with_sample_weight"}; returns this.
   *
   * @throws IllegalArgumentException for another name
   * @throws IllegalStateException once the loss has been called
   */
  public Loss reduction(String reduction) {
    return reduction(Reduction.get(reduction));
  }

  /**
   * Refuses to change {@code option} once {@link #call} built the loss into a traced function,
   * whose ops keep the settings they were built with.
   */
  protected final void checkNotCalled(String option) {
    if (called) {
      throw new IllegalStateException(
          "Loss '" + name + "' has already been called in a traced function, which fixed its"
              + " settings: set " + option + " before the first call, or create a new loss.");
    }
  }

  /** The reduction applied by {@link #call}. */
  public Reduction reduction() {
    return reduction;
  }

  /**
   * The unreduced loss values, usually one per sample: shape {@code (batch)} for predictions
   * {@code (batch, d)}, {@code (batch, t)} for {@code (batch, t, d)}.
   */
  protected abstract Operand<TFloat32> perSample(
      Ops tf, Operand<? extends TNumber> labels, Operand<TFloat32> predictions);

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + name + ", " + reduction + "]";
  }

  /** Keras's to_snake_case; an anonymous class is named "loss". */
  private static String snakeCase(String className) {
    String words = className.replaceAll("\\W+", "")
        .replaceAll("(.)([A-Z][a-z]+)", "$1_$2")
        .replaceAll("([a-z])([A-Z])", "$1_$2")
        .toLowerCase(java.util.Locale.ROOT);
    return words.isEmpty() ? "loss" : words;
  }
}
