package dev.tfkeras.data;

import java.nio.charset.StandardCharsets;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.BooleanNdArray;
import org.tensorflow.ndarray.ByteNdArray;
import org.tensorflow.ndarray.DoubleNdArray;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;
import org.tensorflow.ndarray.LongNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TType;

/**
 * The element types a dataset holds on the host, each kept as a flat Java array (primitive, or of
 * {@code String} for text) and turned into the matching TensorFlow tensor per batch.
 */
enum HostType {
  FLOAT32("float32", TFloat32.class, float.class),
  FLOAT64("float64", TFloat64.class, double.class),
  INT32("int32", TInt32.class, int.class),
  INT64("int64", TInt64.class, long.class),
  UINT8("uint8", TUint8.class, byte.class),
  BOOL("bool", TBool.class, boolean.class),
  /** Java {@code String}s, batched as a {@link TString} tensor (UTF-8 bytes), as tf.data's tf.string. */
  STRING("string", TString.class, String.class);

  private final String label;
  private final Class<? extends TType> tensorType;
  private final Class<?> javaType;

  HostType(String label, Class<? extends TType> tensorType, Class<?> javaType) {
    this.label = label;
    this.tensorType = tensorType;
    this.javaType = javaType;
  }

  /** The host type of an ndarray (tensors included), or null if no host type holds it. */
  static HostType of(NdArray<?> array) {
    if (array instanceof TString || holdsStrings(array)) {
      return STRING;
    } else if (array instanceof FloatNdArray) {
      return FLOAT32;
    } else if (array instanceof DoubleNdArray) {
      return FLOAT64;
    } else if (array instanceof IntNdArray) {
      return INT32;
    } else if (array instanceof LongNdArray) {
      return INT64;
    } else if (array instanceof ByteNdArray) {
      return UINT8;
    } else if (array instanceof BooleanNdArray) {
      return BOOL;
    }
    return null;
  }

  /** Whether an object ndarray (not a primitive one) holds strings, judged by its first value. */
  private static boolean holdsStrings(NdArray<?> array) {
    if (array.shape().size() == 0 || array instanceof FloatNdArray || array instanceof DoubleNdArray
        || array instanceof IntNdArray || array instanceof LongNdArray || array instanceof ByteNdArray
        || array instanceof BooleanNdArray) {
      return false;
    }
    long[] first = new long[array.shape().numDimensions()];
    return array.getObject(first) instanceof String;
  }

  /** The host type whose Java arrays have this component type, or null. */
  static HostType ofJavaType(Class<?> component) {
    for (HostType type : values()) {
      if (type.javaType == component) {
        return type;
      }
    }
    return null;
  }

  /** TensorFlow's name, as in {@code TensorSpec(dtype=tf.float32)}. */
  String label() {
    return label;
  }

  Class<? extends TType> tensorType() {
    return tensorType;
  }

  /** A zeroed Java array of {@code length} elements of this type. */
  Object newArray(int length) {
    return java.lang.reflect.Array.newInstance(javaType, length);
  }

  /** Copies every value of {@code source} (of this host type), in row-major order, into {@code target}. */
  void copy(NdArray<?> source, Object target) {
    switch (this) {
      case FLOAT32 -> ((FloatNdArray) source).copyTo(DataBuffers.of((float[]) target, false, false));
      case FLOAT64 -> ((DoubleNdArray) source).copyTo(DataBuffers.of((double[]) target, false, false));
      case INT32 -> ((IntNdArray) source).copyTo(DataBuffers.of((int[]) target, false, false));
      case INT64 -> ((LongNdArray) source).copyTo(DataBuffers.of((long[]) target, false, false));
      case UINT8 -> ((ByteNdArray) source).copyTo(DataBuffers.of((byte[]) target, false, false));
      case BOOL -> ((BooleanNdArray) source).copyTo(DataBuffers.of((boolean[]) target, false, false));
      case STRING -> copyStrings(source, (String[]) target);
    }
  }

  /**
   * The gathered values of a batch as {@link #tensor} takes them: a string column's as their UTF-8
   * bytes ({@code byte[][]}), encoded here, on the thread that gathers the batch (the prefetch
   * thread, if any), rather than by TensorFlow on the thread that makes the tensor; others as they
   * are.
   */
  Object hostValues(Object gathered) {
    if (this != STRING) {
      return gathered;
    }
    String[] strings = (String[]) gathered;
    byte[][] bytes = new byte[strings.length][];
    for (int i = 0; i < strings.length; i++) {
      bytes[i] = strings[i].getBytes(StandardCharsets.UTF_8);
    }
    return bytes;
  }

  /**
   * A new native tensor of {@code shape} holding a copy of {@code data} (exactly its size, in the
   * form {@link #hostValues} gives: UTF-8 bytes for strings).
   */
  Tensor tensor(Shape shape, Object data) {
    return switch (this) {
      case FLOAT32 -> TFloat32.tensorOf(shape, DataBuffers.of((float[]) data, true, false));
      case FLOAT64 -> TFloat64.tensorOf(shape, DataBuffers.of((double[]) data, true, false));
      case INT32 -> TInt32.tensorOf(shape, DataBuffers.of((int[]) data, true, false));
      case INT64 -> TInt64.tensorOf(shape, DataBuffers.of((long[]) data, true, false));
      case UINT8 -> TUint8.tensorOf(shape, DataBuffers.of((byte[]) data, true, false));
      case BOOL -> TBool.tensorOf(shape, DataBuffers.of((boolean[]) data, true, false));
      case STRING -> TString.tensorOfBytes(NdArrays.wrap(shape, DataBuffers.of((byte[][]) data, true, false)));
    };
  }

  /** A read-only ndarray view of {@code length} values of {@code data} from {@code offset}. */
  NdArray<?> view(Shape shape, Object data, int offset, int length) {
    return switch (this) {
      case FLOAT32 -> NdArrays.wrap(shape, DataBuffers.of((float[]) data, true, false).slice(offset, length));
      case FLOAT64 -> NdArrays.wrap(shape, DataBuffers.of((double[]) data, true, false).slice(offset, length));
      case INT32 -> NdArrays.wrap(shape, DataBuffers.of((int[]) data, true, false).slice(offset, length));
      case INT64 -> NdArrays.wrap(shape, DataBuffers.of((long[]) data, true, false).slice(offset, length));
      case UINT8 -> NdArrays.wrap(shape, DataBuffers.of((byte[]) data, true, false).slice(offset, length));
      case BOOL -> NdArrays.wrap(shape, DataBuffers.of((boolean[]) data, true, false).slice(offset, length));
      case STRING -> NdArrays.wrap(shape, DataBuffers.of((String[]) data, true, false).slice(offset, length));
    };
  }

  @SuppressWarnings("unchecked")
  private static void copyStrings(NdArray<?> source, String[] target) {
    ((NdArray<String>) source).copyTo(DataBuffers.of(target, false, false));
    for (String value : target) {
      if (value == null) {
        throw new IllegalArgumentException(
            "A string array holds null; a tf.string tensor needs a value in every position (use \"\").");
      }
    }
  }
}
