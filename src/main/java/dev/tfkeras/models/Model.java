package dev.tfkeras.models;

import dev.tfkeras.layers.Layer;
import dev.tfkeras.runtime.GraphRuntime;

/**
 * A model written the Keras subclassing way: layers as fields, the forward pass in {@code call}.
 *
 * <pre>{@code
 * class MyModel extends Model {
 *   final Conv2D conv1 = new Conv2D(32, 3, Activation.RELU);
 *   final Flatten flatten = new Flatten();
 *   final Dense d1 = new Dense(128, Activation.RELU);
 *   final Dense d2 = new Dense(10);
 *
 *   @Override
 *   protected Operand<TFloat32> call(Operand<TFloat32> x, boolean training) {
 *     return d2.apply(d1.apply(flatten.apply(conv1.apply(x))));
 *   }
 * }
 * }</pre>
 *
 * <p>Lifecycle: constructed with unbuilt layers → built by the first {@code model.apply(x,
 * training)} inside a traced function (each layer named after its field, weights created from the
 * input shape, in call order) → trained and run through traced functions → {@link #close()}. Use
 * {@code apply}, not {@code call}, from outside: {@code apply} owns naming, building and checks.
 *
 * <p>A model owns the {@link GraphRuntime} it is built in: {@link #close()} frees its graph and
 * session, and with them the optimizers, metrics and functions used with it.
 */
public abstract class Model extends Layer implements AutoCloseable {

  @Override
  protected boolean isContainer() {
    return true;
  }

  /** Frees the native graph and session this model was built in. Idempotent. */
  @Override
  public void close() {
    GraphRuntime runtime = runtime();
    if (runtime != null) {
      runtime.close();
    }
  }
}
