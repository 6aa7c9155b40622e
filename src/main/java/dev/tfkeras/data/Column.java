package dev.tfkeras.data;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.Shape;

/**
 * One component of a dataset (an input, a target or the sample weights) for all its elements, in a
 * flat Java primitive array (a private copy, or an array the dataset was asked to share), so that
 * gathering a batch is one {@link System#arraycopy} per row instead of per-element ndarray reads.
 *
 * <p>A column may store uint8 and present float32 through a 256-entry table ({@link #asFloat32}):
 * the data stays a quarter of the size in memory and is converted row by row as a batch is gathered.
 */
final class Column {

  /** Host arrays hold at most this many values. */
  static final long MAX_VALUES = Integer.MAX_VALUE - 8;

  private final HostType type;
  private final Shape elementShape;
  private final int elementSize;
  private final Object data;
  private final int count;
  /** For a uint8 column presented as float32: the float of each byte value; else null. */
  private final float[] decode;

  private Column(HostType type, Shape elementShape, Object data, int count) {
    this(type, elementShape, data, count, null);
  }

  private Column(HostType type, Shape elementShape, Object data, int count, float[] decode) {
    this.type = type;
    this.elementShape = elementShape;
    this.elementSize = (int) elementShape.size();
    this.data = data;
    this.count = count;
    this.decode = decode;
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
          what + " must hold numbers, booleans or strings (float32, float64, int32, int64, uint8,"
              + " bool, string), received " + array.getClass().getSimpleName() + ".");
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
          what + " must be an array of float, double, int, long, byte (uint8), boolean or String,"
              + " received "
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

  /**
   * A column over {@code flat}, a one-dimensional primitive array holding {@code shape} in row-major
   * order, shared rather than copied.
   */
  static Column wrap(Shape shape, Object flat, String what) {
    if (shape == null || flat == null) {
      throw new IllegalArgumentException(
          what + (shape == null ? "'s shape" : "") + " must not be null, received: null");
    }
    HostType type = flat.getClass().isArray() ? HostType.ofJavaType(flat.getClass().getComponentType()) : null;
    if (type == null) {
      throw new IllegalArgumentException(
          what + " must be a flat (one-dimensional) array of float, double, int, long, byte (uint8) or"
              + " boolean, received " + flat.getClass().getSimpleName() + ".");
    }
    if (shape.isUnknown() || shape.hasUnknownDimension()) {
      throw new IllegalArgumentException(
          what + "'s shape must have known dimensions, received " + format(shape) + ".");
    }
    requireSlices(shape, what);
    int length = Array.getLength(flat);
    if (shape.size() != length) {
      throw new IllegalArgumentException(
          what + "'s shape " + format(shape) + " describes " + shape.size() + " values but " + what
              + " holds " + length + "; pass the array's shape, first axis the examples.");
    }
    return new Column(type, shape.tail(), flat, (int) shape.get(0));
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
          what + " must hold numbers, booleans or strings, received "
              + element.getClass().getSimpleName() + ".");
    }
    if (element.shape().size() > MAX_VALUES) {
      throw new IllegalArgumentException(what + " is too large for a host array: " + format(element.shape()));
    }
    Object data = type.newArray((int) element.shape().size());
    type.copy(element, data);
    return new Column(type, element.shape(), data, 1);
  }

  /** A column of {@code count} zeroed elements of {@code type} and {@code elementShape}, to copy rows into. */
  static Column allocate(HostType type, Shape elementShape, int count) {
    return new Column(type, elementShape, type.newArray(Math.toIntExact(count * elementShape.size())), count);
  }

  /**
   * This uint8 column presented as float32, the float of byte value {@code b} being {@code
   * table[b]}; shares this column's bytes and the table, which must not change.
   */
  Column asFloat32(float[] table) {
    if (type != HostType.UINT8) {
      throw new IllegalStateException("only a uint8 column converts to float32, this one is " + type.label());
    }
    return new Column(HostType.FLOAT32, elementShape, data, count, table);
  }

  /**
   * The flat index (example x element size + position) of the first NaN or infinity among this
   * column's values, or -1 if there is none; integer, bool and uint8 columns hold none.
   */
  long firstNonFinite() {
    if (decode != null) {
      return -1; // uint8 through a table of finite floats
    }
    return switch (type) {
      case FLOAT32 -> FiniteScan.first((float[]) data);
      case FLOAT64 -> FiniteScan.first((double[]) data);
      default -> -1;
    };
  }

  /** Value {@code flat} of a column of any host type, as a double (bool: 1 or 0; uint8 unsigned). */
  double numericValue(int flat) {
    return switch (type) {
      case FLOAT32 -> decode != null ? decode[((byte[]) data)[flat] & 0xFF] : ((float[]) data)[flat];
      case FLOAT64 -> ((double[]) data)[flat];
      case INT32 -> ((int[]) data)[flat];
      case INT64 -> ((long[]) data)[flat];
      case UINT8 -> ((byte[]) data)[flat] & 0xFF;
      case BOOL -> ((boolean[]) data)[flat] ? 1 : 0;
      case STRING -> throw new IllegalArgumentException(
          "a string value has no numeric value: \"" + ((String[]) data)[flat] + "\"; numeric"
              + " targets are needed here.");
    };
  }

  /** Value {@code flat} of a float32 or float64 column, as a double. */
  double floatingValue(long flat) {
    return type == HostType.FLOAT32 ? ((float[]) data)[(int) flat] : ((double[]) data)[(int) flat];
  }

  /** The dtype batches of this column have (float32 for a uint8 column presented as float32). */
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
    copyElements(index, 1, target, row);
  }

  /** Copies element {@code index} into element {@code row} of {@code target}, a column of this type. */
  void copyElement(int index, Column target, int row) {
    copyElements(index, 1, target.data, row);
  }

  /**
   * Copies {@code count} consecutive elements from {@code index} into {@code target} (a flat array
   * of this type) from {@code row} on: one copy for a run of rows that a batch gathers in order.
   */
  void copyElements(int index, int count, Object target, int row) {
    int from = index * elementSize;
    int to = row * elementSize;
    int length = count * elementSize;
    if (decode == null) {
      if (length == 1) {
        copyValue(from, target, to); // a shuffled table's one-value column: no generic arraycopy
      } else {
        System.arraycopy(data, from, target, to, length);
      }
      return;
    }
    byte[] bytes = (byte[]) data;
    float[] floats = (float[]) target;
    for (int i = 0; i < length; i++) {
      floats[to + i] = decode[bytes[from + i] & 0xFF];
    }
  }

  private void copyValue(int from, Object target, int to) {
    switch (type) {
      case FLOAT32 -> ((float[]) target)[to] = ((float[]) data)[from];
      case FLOAT64 -> ((double[]) target)[to] = ((double[]) data)[from];
      case INT32 -> ((int[]) target)[to] = ((int[]) data)[from];
      case INT64 -> ((long[]) target)[to] = ((long[]) data)[from];
      case UINT8 -> ((byte[]) target)[to] = ((byte[]) data)[from];
      case BOOL -> ((boolean[]) target)[to] = ((boolean[]) data)[from];
      case STRING -> ((String[]) target)[to] = ((String[]) data)[from];
    }
  }

  /** A read-only ndarray of element {@code index}: a view, or a converted copy of a uint8 element. */
  NdArray<?> element(int index) {
    if (decode == null) {
      return type.view(elementShape, data, index * elementSize, elementSize);
    }
    float[] floats = new float[elementSize];
    copyElement(index, floats, 0);
    return type.view(elementShape, floats, 0, elementSize);
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
