package dev.tfkeras.layers;

import dev.tfkeras.activations.ActivationFunction;
import dev.tfkeras.activations.Activations;
import dev.tfkeras.saving.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.types.TFloat32;

/**
 * 1-D convolution over {@code (batch, steps, channels)} inputs (channels last), as Keras's {@code
 * Conv1D}: {@code activation(conv1d(input, kernel) + bias)}, the kernel {@code (kernelSize,
 * inChannels, filters)} created from the first input.
 *
 * <p>Padding {@link Padding#VALID} (default), {@link Padding#SAME} or {@link Padding#CAUSAL} (zeros
 * before the sequence, so that step t sees no input after t: WaveNet-style models); {@code strides};
 * {@code dilationRate} (not together with strides above 1, as in Keras). A dilated convolution is
 * computed as a sum of one 1x1 convolution per kernel tap over shifted slices, not with the
 * convolution op's {@code dilations} attribute, which crashes the oneDNN CPU kernel of TensorFlow
 * Java 1.1.0. Every convolution goes through {@link OneDnnSafe}, around the configurations oneDNN
 * computes wrongly.
 */
public class Conv1D extends KernelLayer<Conv1D> {

  private final int filters;
  private final int kernelSize;
  private final ActivationFunction activation;
  private int strides = 1;
  private int dilationRate = 1;
  private Padding padding = Padding.VALID;

  /** A convolution without activation. */
  public Conv1D(int filters, int kernelSize) {
    this(filters, kernelSize, Activation.LINEAR);
  }

  /**
   * A convolution with an activation by Keras's name: {@code new Conv1D(32, 3, "relu")}.
   *
   * @throws IllegalArgumentException for an unknown activation name, listing the known ones
   */
  public Conv1D(int filters, int kernelSize, String activation) {
    this(filters, kernelSize, Activations.get(activation));
  }

  /**
   * @param filters number of output channels, positive
   * @param kernelSize length of the convolution window, positive
   * @param activation applied to the output
   */
  public Conv1D(int filters, int kernelSize, ActivationFunction activation) {
    if (filters <= 0) {
      throw new IllegalArgumentException(
          "Invalid value for argument `filters`. Expected a strictly positive value. Received"
              + " filters=" + filters + ".");
    }
    this.filters = filters;
    this.kernelSize = positive("kernel_size", kernelSize);
    this.activation = Objects.requireNonNull(activation, "activation");
  }

  /** Step of the window (default 1); returns this. */
  public Conv1D strides(int strides) {
    checkNotBuilt("strides");
    checkStridesWithDilation(positive("strides", strides), dilationRate);
    this.strides = strides;
    return this;
  }

  /**
   * Spacing between kernel taps (default 1): a kernel of size k at rate d spans {@code d * (k - 1)
   * + 1} steps. Returns this.
   */
  public Conv1D dilationRate(int dilationRate) {
    checkNotBuilt("dilationRate");
    checkStridesWithDilation(strides, positive("dilation_rate", dilationRate));
    this.dilationRate = dilationRate;
    return this;
  }

  /**
   * {@link #padding(Padding)} by Keras's name: {@code "valid"}, {@code "same"} or {@code
   * "causal"}; returns this.
   */
  public Conv1D padding(String padding) {
    return padding(Padding.get(padding));
  }

  /** {@link Padding#VALID} (default), {@link Padding#SAME} or {@link Padding#CAUSAL}; returns this. */
  public Conv1D padding(Padding padding) {
    checkNotBuilt("padding");
    this.padding = Objects.requireNonNull(padding, "padding");
    return this;
  }

  private static int positive(String what, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(
          "The `" + what + "` argument must be a tuple of 1 integers. Received " + what + "=" + value
              + ", including values {" + value + "} that do not satisfy `value > 0`");
    }
    return value;
  }

  private static void checkStridesWithDilation(int strides, int dilationRate) {
    if (strides > 1 && dilationRate > 1) {
      throw new IllegalArgumentException(
          "`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received:"
              + " strides=(" + strides + ",) and dilation_rate=(" + dilationRate + ",)");
    }
  }

  /** Steps covered by the dilated kernel. */
  private int span() {
    return dilationRate * (kernelSize - 1) + 1;
  }

  @Override
  protected void validateInput(Shape shape) {
    requireRank(shape, 3);
    requireLastAxis(shape, "input channels");
    long steps = shape.get(1);
    if (padding == Padding.VALID && steps != Shape.UNKNOWN_SIZE && steps < span()) {
      throw incompatible(
          "with padding VALID, axis 1 must be at least the "
              + (dilationRate == 1 ? "kernel size " + kernelSize
                  : "dilated kernel size " + span() + " (kernel size " + kernelSize
                      + ", dilation rate " + dilationRate + ")")
              + ", found " + steps,
          shape);
    }
  }

  @Override
  protected void build(Shape inputShape) {
    long channels = inputShape.get(2);
    addKernelAndBias(Shape.of(kernelSize, channels, filters), filters);
  }

  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
    Ops tf = tf();
    Operand<TFloat32> x = input;
    Padding mode = padding;
    if (padding == Padding.CAUSAL) {
      x = pad(tf, x, span() - 1, 0);
      mode = Padding.VALID;
    }
    Operand<TFloat32> y = dilationRate == 1 ? convolve(tf, x, mode) : dilated(tf, x, mode);
    if (biasVariable() != null) {
      y = tf.nn.biasAdd(y, biasVariable().read(tf));
    }
    return activation.apply(tf, y);
  }

  /** The ordinary convolution, as a 2-D one over a height of 1 (through {@link OneDnnSafe}). */
  private Operand<TFloat32> convolve(Ops tf, Operand<TFloat32> x, Padding mode) {
    Operand<TFloat32> image = tf.expandDims(x, tf.constant(1));
    Operand<TFloat32> kernel2d = tf.expandDims(kernelVariable().read(tf), tf.constant(0));
    Operand<TFloat32> y = OneDnnSafe.conv2d(tf, image, kernel2d, new int[] {1, strides}, mode.op());
    return tf.squeeze(y, Squeeze.axis(List.of(1L)));
  }

  /**
   * Dilated (stride 1): {@code y[t] = sum_j x[t + j * rate] · kernel[j]} over the (SAME-padded)
   * input, each term a 1x1 convolution of a shifted slice.
   */
  private Operand<TFloat32> dilated(Ops tf, Operand<TFloat32> x, Padding mode) {
    int extra = span() - 1;
    if (mode == Padding.SAME) {
      x = pad(tf, x, extra / 2, extra - extra / 2);
    }
    List<Operand<TFloat32>> taps =
        new ArrayList<>(tf.unstack(kernelVariable().read(tf), (long) kernelSize).output());
    List<Operand<TFloat32>> terms = new ArrayList<>(kernelSize);
    for (int j = 0; j < kernelSize; j++) {
      int start = j * dilationRate;
      int end = extra - start; // steps to leave out at the end
      Operand<TFloat32> shifted =
          tf.stridedSlice(
              x,
              tf.constant(new int[] {0, start, 0}),
              tf.constant(new int[] {0, -end, 0}),
              tf.constant(new int[] {1, 1, 1}),
              org.tensorflow.op.core.StridedSlice.beginMask(0b101L),
              org.tensorflow.op.core.StridedSlice.endMask(end == 0 ? 0b111L : 0b101L));
      Operand<TFloat32> tap = tf.expandDims(tf.expandDims(taps.get(j), tf.constant(0)), tf.constant(0));
      terms.add(
          tf.squeeze(
              OneDnnSafe.conv2d(tf, tf.expandDims(shifted, tf.constant(1)), tap, new int[] {1, 1}, "VALID"),
              Squeeze.axis(List.of(1L))));
    }
    return terms.size() == 1 ? terms.get(0) : tf.math.addN(terms);
  }

  private static Operand<TFloat32> pad(Ops tf, Operand<TFloat32> x, int before, int after) {
    return tf.pad(x, tf.constant(new int[][] {{0, 0}, {before, after}, {0, 0}}), tf.constant(0f));
  }

  /** The number of output channels. */
  public int filters() {
    return filters;
  }

  /** The length of the convolution window. */
  public int kernelSize() {
    return kernelSize;
  }

  /** The step of the window. */
  public int strides() {
    return strides;
  }

  /** The spacing between kernel taps. */
  public int dilationRate() {
    return dilationRate;
  }

  /** The padding: valid, same or causal. */
  public Padding padding() {
    return padding;
  }

  /** The activation applied to the output. */
  public ActivationFunction activation() {
    return activation;
  }

  /**
   * Keras's {@code Conv1D.get_config} (its base {@code BaseConv}'s keys): sizes as one-element
   * lists, {@code data_format} {@code "channels_last"}, {@code groups} 1.
   */
  @Override
  public Config getConfig() {
    Config config = super.getConfig()
        .put("filters", filters)
        .put("kernel_size", new int[] {kernelSize})
        .put("strides", new int[] {strides})
        .put("padding", Configs.padding(padding))
        .put("data_format", "channels_last")
        .put("dilation_rate", new int[] {dilationRate})
        .put("groups", 1)
        .put("activation", Configs.activation(this, activation));
    return putKernelSettings(config, true);
  }

  /** Keras's {@code Conv1D.from_config}; {@code groups} other than 1 is refused. */
  public static Conv1D fromConfig(Config config) {
    Configs.channelsLast(config);
    if (config.getInt("groups", 1) != 1) {
      throw config.invalid("groups", "1 (tfkeras's Conv1D has no groups)");
    }
    Conv1D conv = new Conv1D(config.getInt("filters", 0), config.getInts("kernel_size", 1, new int[] {0})[0],
        Configs.activation(config, "activation", Activations.LINEAR))
        .padding(Configs.padding(config, true))
        .dilationRate(config.getInts("dilation_rate", 1, new int[] {1})[0])
        .strides(config.getInts("strides", 1, new int[] {1})[0]);
    return configured(conv.readKernelSettings(config), config);
  }
}
