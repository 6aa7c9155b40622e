package dev.tfkeras.function;

import dev.tfkeras.data.Batch;
import dev.tfkeras.data.Dataset;
import dev.tfkeras.data.DatasetIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/**
 * A layer or model called on concrete data outside any traced function, as Keras's {@code
 * model(x)} runs eagerly: the call is traced into a {@link TfFunction} once per input signature
 * (and per training flag) and then run, so a loop of calls costs one session run each.
 *
 * <p>Data may be a tensor (fed as it is), an {@code NdArray}, a Java array ({@code float[][]},
 * {@code int[]}...) or a {@code List} of them for several inputs, with the examples on the first
 * axis; it is fed as one batch.
 */
public final class EagerCall {

  /** The symbolic call being traced: every output of the layer for these inputs. */
  @FunctionalInterface
  public interface Body {
    List<? extends Operand<?>> apply(List<Operand<?>> inputs, boolean training);
  }

  private final String name;
  private final Body body;
  private TfFunction<List<TType>> inference;
  private TfFunction<List<TType>> training;

  /** Calls of {@code body}, traced under {@code name}. */
  public EagerCall(String name, Body body) {
    this.name = Objects.requireNonNull(name, "name");
    this.body = Objects.requireNonNull(body, "body");
  }

  /** The traced function behind calls with this training flag, made on first use. */
  public synchronized TfFunction<List<TType>> function(boolean training) {
    if (training) {
      if (this.training == null) {
        this.training = TfFunction.returningAll(inputs -> body.apply(inputs, true)).named(name + "_training");
      }
      return this.training;
    }
    if (inference == null) {
      inference = TfFunction.returningAll(inputs -> body.apply(inputs, false)).named(name);
    }
    return inference;
  }

  /**
   * Every output for concrete {@code x}; the caller closes the tensors.
   *
   * @throws IllegalArgumentException for symbolic operands (inside a traced function call {@code
   *     apply(operand)} instead), a dataset, or data of no example
   */
  public List<TType> callAll(Object x, boolean training) {
    Objects.requireNonNull(x, "x");
    if (Trace.isActive()) {
      throw new IllegalStateException(
          "'" + name + "' was called on concrete data (" + x.getClass().getSimpleName() + ") inside"
              + " the traced function '" + Trace.current().functionName() + "'; inside a function"
              + " call it on the function's symbolic arguments (Operands), e.g. model.apply(x, false).");
    }
    List<TType> tensors = tensorsIn(x);
    if (tensors != null) {
      return function(training).call(tensors.toArray(new TType[0]));
    }
    Dataset data = Dataset.fromTensorSlices(x);
    long count = data.cardinality();
    if (count < 1 || count > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "'" + name + "' needs at least one example (the first axis of x), received " + count + ".");
    }
    try (DatasetIterator batches = data.batch((int) count).iterator(0);
        Batch batch = batches.next()) {
      TType[] inputs = new TType[batch.featureCount()];
      for (int i = 0; i < inputs.length; i++) {
        inputs[i] = batch.features(i);
      }
      return function(training).call(inputs);
    }
  }

  /**
   * The one output for concrete {@code x}; the caller closes it.
   *
   * @throws IllegalStateException if the layer has several outputs
   */
  public TFloat32 call(Object x, boolean training) {
    List<TType> outputs = callAll(x, training);
    if (outputs.size() != 1) {
      outputs.forEach(TType::close);
      throw new IllegalStateException(
          "'" + name + "' returns " + outputs.size() + " outputs; apply(x) returns one. Use"
              + " predictOutputs(x) or predictArrays(x) on a model for all of them.");
    }
    return toFloat(outputs.get(0), name);
  }

  /**
   * {@code output} as a float32 tensor: itself, or, for int32 and int64 outputs (a lookup's
   * indices), a float32 copy and the original closed.
   *
   * @param owner the layer or function named in the error
   * @throws IllegalStateException for an output of another dtype, such as strings (closed then)
   */
  public static TFloat32 toFloat(TType output, String owner) {
    if (output instanceof TFloat32 floats) {
      return floats;
    }
    try (output) {
      return floatCopy(output, owner);
    }
  }

  /**
   * A new float32 tensor with the values of an int32 or int64 tensor, which stays open.
   *
   * @param owner the layer or function named in the error
   * @throws IllegalStateException for another dtype, such as strings
   */
  public static TFloat32 floatCopy(TType output, String owner) {
    if (output instanceof TInt64 longs) {
      return TFloat32.tensorOf(longs.shape(), to -> longs.scalars().forEachIndexed((at, v) -> to.setFloat(v.getLong(), at)));
    }
    if (output instanceof TInt32 ints) {
      return TFloat32.tensorOf(ints.shape(), to -> ints.scalars().forEachIndexed((at, v) -> to.setFloat(v.getInt(), at)));
    }
    throw new IllegalStateException(
        "'" + owner + "' returns a " + output.type().getSimpleName() + " output, which cannot be"
            + " given as float32. Use applyOutputs(x) on a layer or predictNdArrays(x) on a model,"
            + " which keep each output's dtype.");
  }

  /** A host copy of {@code tensor}, which stays open. */
  public static FloatNdArray copyOf(TFloat32 tensor) {
    FloatNdArray copy = NdArrays.ofFloats(tensor.shape());
    tensor.copyTo(copy);
    return copy;
  }

  /** {@code x} as tensors to feed as they are, or null if it must be converted. */
  private List<TType> tensorsIn(Object x) {
    if (x instanceof Operand<?> operand) {
      throw symbolic(operand);
    }
    if (x instanceof Dataset) {
      throw new IllegalArgumentException(
          "'" + name + "' was called on a Dataset; call it on one batch of data, or use"
              + " model.predict(dataset) for every batch.");
    }
    if (x instanceof TType tensor) {
      return List.of(tensor);
    }
    if (x instanceof List<?> list && !list.isEmpty()) {
      List<TType> tensors = new ArrayList<>(list.size());
      for (Object item : list) {
        if (item instanceof Operand<?> operand) {
          throw symbolic(operand);
        }
        if (!(item instanceof TType tensor)) {
          return null;
        }
        tensors.add(tensor);
      }
      return tensors;
    }
    return null;
  }

  private IllegalArgumentException symbolic(Operand<?> operand) {
    return new IllegalArgumentException(
        "'" + name + "' received a symbolic Operand (" + operand.shape() + ") outside a traced"
            + " function: Operands only exist while a TfFunction body traces. Pass the data itself"
            + " (an NdArray, a tensor such as TFloat32, or a Java array), or call apply(operand)"
            + " inside a TfFunction body.");
  }
}
