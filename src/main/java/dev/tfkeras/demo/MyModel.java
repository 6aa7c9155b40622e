package dev.tfkeras.demo;

import dev.tfkeras.layers.Activation;
import dev.tfkeras.layers.Conv2D;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Flatten;
import dev.tfkeras.layers.Input;
import dev.tfkeras.models.Model;
import dev.tfkeras.models.Sequential;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** The seed notebook's subclassed model: Conv2D(32, 3, relu), Flatten, Dense(128, relu), Dense(10). */
public class MyModel extends Model {

  final Conv2D conv1 = new Conv2D(32, 3, Activation.RELU);
  final Flatten flatten = new Flatten();
  final Dense d1 = new Dense(128, Activation.RELU);
  final Dense d2 = new Dense(10);

  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> x, boolean training) {
    x = conv1.apply(x);
    x = flatten.apply(x);
    x = d1.apply(x);
    return d2.apply(x);
  }

  /**
   * The same network as a {@code Sequential} holding a copy of this model's weights: what the demo
   * saves to a {@code .keras} file, since Keras files describe Sequential and functional models by
   * their config, and Python loads a Sequential without this Java class.
   */
  Sequential toSequential() {
    Sequential copy =
        new Sequential(
            Input.of(28, 28, 1),
            new Conv2D(32, 3, Activation.RELU),
            new Flatten(),
            new Dense(128, Activation.RELU),
            new Dense(10));
    copy.setWeights(getWeights());
    return copy;
  }
}
