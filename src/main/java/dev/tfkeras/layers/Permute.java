package dev.tfkeras.layers;

import dev.tfkeras.saving.Config;
import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Permutes the non-batch axes, as Keras's {@code Permute}: {@code new Permute(2, 1)} turns {@code
 * (None, 10, 64)} into {@code (None, 64, 10)}. Axes are numbered from 1 (the batch axis stays first).
 */
public class Permute extends Layer {

  private final int[] dims;

  /**
   * @param dims a permutation of {@code 1..n} for inputs of rank {@code n + 1}
   * @throws IllegalArgumentException unless {@code dims} holds each of {@code 1..n} once
   */
  public Permute(int... dims) {
    int[] sorted = dims.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      if (sorted[i] != i + 1) {
        throw invalid(dims);
      }
    }
    if (dims.length == 0) {
      throw invalid(dims);
    }
    this.dims = dims.clone();
  }

  private static IllegalArgumentException invalid(int[] dims) {
    long[] asLongs = Arrays.stream(dims).asLongStream().toArray();
    return new IllegalArgumentException(
        "Invalid permutation argument `dims` for Permute Layer. The set of indices in `dims` must be"
            + " consecutive and start from 1. Received dims=" + Reshape.tuple(asLongs));
  }

  /** The permutation, 1-based. */
  public int[] dims() {
    return dims.clone();
  }

  @Override
  protected void validateInput(Shape shape) {
    requireRank(shape, dims.length + 1);
  }

  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
    int[] perm = new int[dims.length + 1];
    System.arraycopy(dims, 0, perm, 1, dims.length);
    return tf().linalg.transpose(input, tf().constant(perm));
  }

  /** Keras's {@code Permute.get_config}: {@code dims}. */
  @Override
  public Config getConfig() {
    return super.getConfig().put("dims", dims);
  }

  /** Keras's {@code Permute.from_config}. */
  public static Permute fromConfig(Config config) {
    int[] dims = Configs.intOrInts(config, "dims", null);
    if (dims == null) {
      throw config.invalid("dims", "a list of integers");
    }
    return configured(new Permute(dims), config);
  }
}
