package dev.tfkeras.layers;

import dev.tfkeras.activations.ActivationFunction;
import java.util.Objects;

/**
 * Settings shared by {@link Conv2D} and {@link Conv2DTranspose}, as Keras's {@code BaseConv}:
 * filters, kernel size, activation, strides, padding and dilation rate (not together with strides
 * above 1).
 *
 * @param <L> the concrete layer, returned by the settings
 */
public abstract class ConvolutionBase2D<L extends ConvolutionBase2D<L>> extends KernelLayer<L> {

  final int filters;
  final int[] kernelSize;
  final ActivationFunction activation;
  int[] strides = {1, 1};
  Padding padding = Padding.VALID;
  int[] dilationRate = {1, 1};

  ConvolutionBase2D(int filters, int[] kernelSize, ActivationFunction activation) {
    if (filters <= 0) {
      throw new IllegalArgumentException(
          "Received an invalid value for `filters`, expected a positive integer. Received: filters="
              + filters);
    }
    this.filters = filters;
    this.kernelSize = Pairs.positive("kernel_size", kernelSize);
    this.activation = Objects.requireNonNull(activation, "activation");
  }

  @SuppressWarnings("unchecked")
  private L self() {
    return (L) this;
  }

  /** Same stride on both spatial axes (default 1); returns this. */
  public L strides(int stride) {
    return strides(Pairs.twice(stride));
  }

  /** Strides {height, width}; returns this. */
  public L strides(int[] strides) {
    checkNotBuilt("strides");
    int[] checked = Pairs.positive("strides", strides);
    Pairs.checkStridesWithDilation(checked, dilationRate);
    this.strides = checked;
    return self();
  }

  /** {@link Padding#VALID} (default) or {@link Padding#SAME}; returns this. */
  public L padding(Padding padding) {
    checkNotBuilt("padding");
    this.padding = Objects.requireNonNull(padding, "padding");
    return self();
  }

  /** {@link #padding(Padding)} by Keras's name, {@code "valid"} or {@code "same"}; returns this. */
  public L padding(String padding) {
    return padding(Padding.of(padding, false));
  }

  /** Same dilation rate on both spatial axes (default 1: an ordinary convolution); returns this. */
  public L dilationRate(int rate) {
    return dilationRate(Pairs.twice(rate));
  }

  /**
   * Dilation rates {height, width}: kernel taps {@code rate} pixels apart, so a 3x3 kernel at rate
   * 2 covers 5x5. Not with strides above 1, as in Keras. Returns this.
   */
  public L dilationRate(int[] rate) {
    checkNotBuilt("dilationRate");
    int[] checked = Pairs.positive("dilation_rate", rate);
    Pairs.checkStridesWithDilation(strides, checked);
    this.dilationRate = checked;
    return self();
  }

  /** Number of output channels. */
  public int filters() {
    return filters;
  }

  /** Kernel {height, width} (Keras's {@code kernel_size}). */
  public int[] kernelSize() {
    return kernelSize.clone();
  }

  /** Strides {height, width}. */
  public int[] strides() {
    return strides.clone();
  }

  /** The padding, {@link Padding#VALID} or {@link Padding#SAME}. */
  public Padding padding() {
    return padding;
  }

  /** Dilation rates {height, width} (Keras's {@code dilation_rate}). */
  public int[] dilationRate() {
    return dilationRate.clone();
  }

  /** The activation applied to the output. */
  public ActivationFunction activation() {
    return activation;
  }
}
