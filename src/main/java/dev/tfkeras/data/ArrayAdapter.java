package dev.tfkeras.data;

import org.tensorflow.ndarray.Shape;

/**
 * Host arrays as {@code Model.fit}, {@code evaluate} and {@code predict} take them (Keras's array
 * data adapter): copied into a dataset as by {@link Dataset#fromTensorSlices(Object, Object)}, then
 * checked up front for what would otherwise fail late or silently: no examples at all, and NaN or
 * infinity in float inputs, targets or sample weights, which would turn every weight NaN without
 * an error. The check is one pass over each float array, once per call, never per batch.
 */
public final class ArrayAdapter {

  private ArrayAdapter() {}

  /**
   * The unbatched dataset of {@code x}, {@code y} (null for inference) and {@code sampleWeight}
   * (nullable).
   *
   * @param caller the method taking the arrays, for the empty-data message: {@code "fit"}...
   * @param prefix what messages put before the arrays' names, e.g. {@code "validationData "}, or ""
   * @param skipAdvice how the non-finite message ends, saying how to skip the check; null skips it
   * @throws IllegalArgumentException if the arrays hold no example or a non-finite value, naming
   *     the array, the example, the position in it and the value
   */
  public static Dataset slices(
      String caller, String prefix, Object x, Object y, Object sampleWeight, String skipAdvice) {
    Slices slices = Slices.copyOfAllowingEmpty(x, y, sampleWeight);
    if (slices.count() == 0) {
      String name = prefix + slices.name(0);
      throw new IllegalArgumentException(
          caller + " received an empty dataset: " + name + " has 0 examples; pass at least one"
              + " example (the first axis of " + name + " counts the examples).");
    }
    if (skipAdvice != null) {
      requireFinite(slices, prefix, skipAdvice);
    }
    return Dataset.of(slices);
  }

  /**
   * The values of a single host target array, flat in example order, and its shape: what Keras's array adapter reads to turn {@code class_weight} into sample weights before
   * any tensor is made.
   *
   * @param y a Java array or an {@code NdArray}, examples on the first axis
   */
  public static Targets targets(Object y) {
    Column column = Column.copyOf(y, "y");
    double[] values = new double[column.count() * column.elementSize()];
    for (int i = 0; i < values.length; i++) {
      values[i] = column.numericValue(i);
    }
    return new Targets(column.elementShape().prepend(column.count()), values);
  }

  /** A target array read on the host: its shape (examples first) and every value, flat. */
  public record Targets(Shape shape, double[] values) {}

  private static void requireFinite(Slices slices, String prefix, String skipAdvice) {
    for (int c = 0; c < slices.columns().size(); c++) {
      Column column = slices.columns().get(c);
      long flat = column.firstNonFinite();
      if (flat >= 0) {
        throw new IllegalArgumentException(
            prefix + slices.name(c) + " contains a non-finite value (" + column.floatingValue(flat)
                + ") at example " + flat / column.elementSize() + position(column.elementShape(),
                flat % column.elementSize()) + "; " + skipAdvice);
      }
    }
  }

  /** {@code ", index (3, 4, 0)"} for position 3*w*d + 4*d + 0 in an element of that shape. */
  private static String position(Shape element, long offset) {
    int rank = element.numDimensions();
    if (rank == 0) {
      return "";
    }
    long[] index = new long[rank];
    for (int axis = rank - 1; axis >= 0; axis--) {
      index[axis] = offset % element.get(axis);
      offset /= element.get(axis);
    }
    StringBuilder text = new StringBuilder(", index (");
    for (int axis = 0; axis < rank; axis++) {
      text.append(axis > 0 ? ", " : "").append(index[axis]);
    }
    return text.append(')').toString();
  }
}
