package dev.tfkeras.demo;

import dev.tfkeras.layers.Activation;
import dev.tfkeras.layers.Conv2D;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Flatten;
import dev.tfkeras.models.Model;
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
}
