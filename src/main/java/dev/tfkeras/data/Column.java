package dev.tfkeras.data;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.Shape;

/**
 * One component of a dataset (an input, a target or the sample weights) for all its elements: a
 * private flat copy in a Java primitive array, so that gathering a batch is one {@link
 * System#arraycopy} per row instead of per-element ndarray reads.
 */
final class Column {

  /** Host arrays hold at most this many values. */
  static final long MAX_VALUES = Integer.MAX_VALUE - 8;

  private final HostType type;
  private final Shape elementShape;
  private final int elementSize;
  private final Object data;
  private final int count;

  private Column(HostType type, Shape elementShape, Object data, int count) {
    this.type = type;
    this.elementShape = elementShape;
    this.elementSize = (int) elementShape.size();
    this.data = data;
    this.count = count;
  }

  /**
   * A copy of {@code source}, sliced along its first axis: an {@link NdArray} (tensors included) or
   * a rectangular Java array of any rank ({@code float[][]}, {@code int[]}, {@code boolean[][]}...;
   * {@code byte} is read as uint8, as Keras reads image bytes).
   *
   * @param what how messages name the array, e.g. {@code "x"} or {@code "y[1]"}
   */
  static Column copyOf(Object source, String what) {
    if (source == null) {
      throw new IllegalArgumentException(what + " must not be null.");
    }
    if (source instanceof NdArray<?> array) {
      return copyOfNdArray(array, what);
    }
    if (source.getClass().isArray()) {
      return copyOfJavaArray(source, what);
    }
    throw new IllegalArgumentException(
        what + " must be an NdArray (a tensor included) or a Java array such as float[][] or int[],"
            + " received " + source.getClass().getName() + ".");
  }

  private static Column copyOfNdArray(NdArray<?> array, String what) {
    HostType type = HostType.of(array);
    if (type == null) {
      throw new IllegalArgumentException(
          what + " must hold numbers or booleans (float32, float64, int32, int64, uint8, bool),"
              + " received " + array.getClass().getSimpleName() + ".");
    }
    Shape shape = array.shape();
    requireSlices(shape, what);
    Object data = type.newArray((int) shape.size());
    type.copy(array, data);
    return new Column(type, shape.tail(), data, (int) shape.get(0));
  }

  private static Column copyOfJavaArray(Object source, String what) {
    List<Long> dims = new ArrayList<>();
    Class<?> component = source.getClass();
    for (Object level = source; component.isArray(); component = component.getComponentType()) {
      dims.add((long) Array.getLength(level));
      if (component.getComponentType().isArray()) {
        level = Array.getLength(level) > 0 ? Array.get(level, 0) : null;
        if (level == null) {
          // Zero rows, or a null first row: the inner sizes are unknown.
          dims.add(0L);
          component = component.getComponentType();
          while (component.getComponentType().isArray()) {
            component = component.getComponentType();
            dims.add(0L);
          }
          component = component.getComponentType();
          break;
        }
      }
    }
    HostType type = HostType.ofJavaType(component);
    if (type == null) {
      throw new IllegalArgumentException(
          what + " must be an array of float, double, int, long, byte (uint8) or boolean, received "
              + source.getClass().getSimpleName() + ".");
    }
    Shape shape = Shape.of(dims.stream().mapToLong(Long::longValue).toArray());
    requireSlices(shape, what);
    Object data = type.newArray((int) shape.size());
    int[] offset = {0};
    flatten(source, shape, 0, data, offset, what, "");
    return new Column(type, shape.tail(), data, (int) shape.get(0));
  }

  /** Copies a rectangular nested Java array into {@code target}, checking every row's length. */
  private static void flatten(
      Object level, Shape shape, int axis, Object target, int[] offset, String what, String index) {
    int length = level == null ? -1 : Array.getLength(level);
    if (length != shape.get(axis)) {
      throw new IllegalArgumentException(
          what + index + " has " + (level == null ? "no array (null)" : length + " entries")
              + " but " + what + " has shape " + format(shape) + ": every row must have "
              + shape.get(axis) + " entries (a rectangular array).");
    }
    if (axis == shape.numDimensions() - 1) {
      System.arraycopy(level, 0, target, offset[0], length);
      offset[0] += length;
      return;
    }
    for (int i = 0; i < length; i++) {
      flatten(Array.get(level, i), shape, axis + 1, target, offset, what, index + "[" + i + "]");
    }
  }

  private static void requireSlices(Shape shape, String what) {
    if (shape.numDimensions() < 1) {
      throw new IllegalArgumentException(
          what + " must have a first axis with one slice per example, received a scalar.");
    }
    if (shape.size() > MAX_VALUES) {
      throw new IllegalArgumentException(
          what + " must hold at most " + MAX_VALUES + " values to fit a host array, received shape "
              + format(shape) + " (" + shape.size() + " values).");
    }
  }

  /** A one-element column holding a copy of {@code element} (no slice axis), e.g. a mapped value. */
  static Column ofElement(NdArray<?> element, String what) {
    if (element == null) {
      throw new IllegalArgumentException(what + " must not be null.");
    }
    HostType type = HostType.of(element);
    if (type == null) {
      throw new IllegalArgumentException(
          what + " must hold numbers or booleans, received " + element.getClass().getSimpleName() + ".");
    }
    if (element.shape().size() > MAX_VALUES) {
      throw new IllegalArgumentException(what + " is too large for a host array: " + format(element.shape()));
    }
    Object data = type.newArray((int) element.shape().size());
    type.copy(element, data);
    return new Column(type, element.shape(), data, 1);
  }

  HostType type() {
    return type;
  }

  /** The shape of one element: the source's shape without its first axis. */
  Shape elementShape() {
    return elementShape;
  }

  int elementSize() {
    return elementSize;
  }

  int count() {
    return count;
  }

  /** Copies element {@code index} into {@code target} (a flat array of this type) at {@code row}. */
  void copyElement(int index, Object target, int row) {
    System.arraycopy(data, index * elementSize, target, row * elementSize, elementSize);
  }

  /** A read-only ndarray view of element {@code index}. */
  NdArray<?> element(int index) {
    return type.view(elementShape, data, index * elementSize, elementSize);
  }

  /** Whether elements of {@code other} have this column's type and shape. */
  boolean sameSpec(Column other) {
    return type == other.type && elementShape.equals(other.elementShape);
  }

  /** TensorFlow's spec text for this column's elements with an optional leading batch axis. */
  String spec(boolean batched, long batchSize) {
    Shape shape = batched ? elementShape.prepend(batchSize) : elementShape;
    return "TensorSpec(shape=" + format(shape) + ", dtype=" + type.label() + ")";
  }

  /** Python's shape text: {@code (None, 28, 28, 1)}, {@code (None,)} or {@code ()}. */
  static String format(Shape shape) {
    return dev.tfkeras.utils.Shapes.format(shape);
  }
}
