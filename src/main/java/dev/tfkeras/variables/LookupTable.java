package dev.tfkeras.variables;

import dev.tfkeras.runtime.GraphRuntime;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.MutableHashTable;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * A hash table in a {@link GraphRuntime}'s graph (TensorFlow's {@code MutableHashTableV2}): keys
 * (strings or int64) to values (int64 or strings), looked up inside traced functions with {@link
 * #find}, as Keras's lookup layers look up their vocabulary.
 *
 * <p>Its contents are set from the host with {@link #assign}, which replaces them all ({@code
 * LookupTableImportV2}). The last contents assigned are kept on the host too: a SavedModel carries
 * variables but no table, so the runtime's {@link GraphRuntime#exportInitializer()} rebuilds every
 * table from them when the export is loaded.
 */
public final class LookupTable {

  private final GraphRuntime runtime;
  private final MutableHashTable handle;
  private final Class<? extends TType> keyType;
  private final Class<? extends TType> valueType;
  private Object keys;
  private Object values;
  private Placeholder<? extends TType> keysFeed;
  private Placeholder<? extends TType> valuesFeed;
  private Op importOp;

  private LookupTable(
      GraphRuntime runtime, MutableHashTable handle, Class<? extends TType> keyType, Class<? extends TType> valueType) {
    this.runtime = runtime;
    this.handle = handle;
    this.keyType = keyType;
    this.valueType = valueType;
  }

  /**
   * An empty table in {@code runtime}'s graph, registered with the runtime so that exports rebuild
   * it.
   *
   * @param scope ops scoped where the table op is named (a layer's scope)
   * @param keyType {@code TString.class} or {@code TInt64.class}
   * @param valueType {@code TInt64.class} or {@code TString.class}
   * @throws IllegalArgumentException for another key or value type
   */
  public static LookupTable create(
      GraphRuntime runtime, Ops scope, String name, Class<? extends TType> keyType, Class<? extends TType> valueType) {
    requireSupported(keyType, "key");
    requireSupported(valueType, "value");
    MutableHashTable handle = scope.withName(name).mutableHashTable(keyType, valueType);
    LookupTable table = new LookupTable(runtime, handle, keyType, valueType);
    runtime.addExportInitializer(table::exportInitializer);
    return table;
  }

  private static void requireSupported(Class<? extends TType> type, String what) {
    if (type != TString.class && type != TInt64.class) {
      throw new IllegalArgumentException(
          "A lookup table's " + what + "s are strings or int64, received " + type.getSimpleName() + ".");
    }
  }

  /** The values of {@code keys}, {@code defaultValue} where a key is absent; inside a traced function. */
  @SuppressWarnings("unchecked")
  public <V extends TType> Operand<V> find(Ops tf, Operand<?> keys, Operand<V> defaultValue) {
    if (keys.type() != keyType || defaultValue.type() != valueType) {
      throw new IllegalArgumentException(
          "Lookup table '" + handle.op().name() + "' maps " + keyType.getSimpleName() + " to "
              + valueType.getSimpleName() + ", received keys " + keys.type().getSimpleName()
              + " and a default " + defaultValue.type().getSimpleName() + ".");
    }
    return tf.lookupTableFind(handle, (Operand<? extends TType>) keys, defaultValue);
  }

  /**
   * Replaces the contents with {@code keys[i] → values[i]}, now.
   *
   * @param keys a {@code String[]} or {@code long[]}, as the key type
   * @param values a {@code long[]} or {@code String[]}, as the value type, as many as the keys
   */
  public synchronized void assign(Object keys, Object values) {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(values, "values");
    int n = length(keys, keyType, "keys");
    if (length(values, valueType, "values") != n) {
      throw new IllegalArgumentException(
          "A lookup table needs one value per key, received " + n + " keys and "
              + java.lang.reflect.Array.getLength(values) + " values.");
    }
    runtime.checkOpen();
    if (importOp == null) {
      Ops tf = runtime.ops().withSubScope("assign");
      keysFeed = tf.placeholder(keyType, Placeholder.shape(Shape.of(-1)));
      valuesFeed = tf.placeholder(valueType, Placeholder.shape(Shape.of(-1)));
      importOp = tf.lookupTableImport(handle, keysFeed, valuesFeed);
    }
    try (Tensor k = tensor(keys, n); Tensor v = tensor(values, n)) {
      runtime.run(runtime.session().runner().feed(keysFeed, k).feed(valuesFeed, v).addTarget(importOp)).close();
    }
    this.keys = copy(keys);
    this.values = copy(values);
  }

  private static int length(Object array, Class<? extends TType> type, String what) {
    boolean fits = type == TString.class ? array instanceof String[] : array instanceof long[];
    if (!fits) {
      throw new IllegalArgumentException(
          "The " + what + " of this table are " + (type == TString.class ? "String[]" : "long[]")
              + ", received " + array.getClass().getSimpleName() + ".");
    }
    return java.lang.reflect.Array.getLength(array);
  }

  private static Tensor tensor(Object array, int n) {
    if (array instanceof String[] strings) {
      return TString.tensorOf(NdArrays.vectorOfObjects(strings));
    }
    return TInt64.tensorOf(Shape.of(n), DataBuffers.of((long[]) array, true, false));
  }

  private static Object copy(Object array) {
    return array instanceof String[] strings ? strings.clone() : ((long[]) array).clone();
  }

  /** Whether {@link #assign} has given the table contents. */
  public synchronized boolean isAssigned() {
    return keys != null;
  }

  /** An op importing the contents assigned last, as constants; null if never assigned. */
  private synchronized Op exportInitializer(Ops tf) {
    if (keys == null) {
      return null;
    }
    return tf.lookupTableImport(handle, constant(tf, keys), constant(tf, values));
  }

  private static Operand<? extends TType> constant(Ops tf, Object array) {
    if (array instanceof String[] strings) {
      return tf.constant(NdArrays.vectorOfObjects(strings));
    }
    return tf.constant((long[]) array);
  }

  @Override
  public String toString() {
    return "LookupTable[" + handle.op().name() + " " + keyType.getSimpleName() + " -> "
        + valueType.getSimpleName() + (keys == null ? ", empty" : ", "
            + java.lang.reflect.Array.getLength(keys) + " entries") + "]";
  }
}
