package dev.tfkeras.demo;

import dev.tfkeras.layers.Activation;
import dev.tfkeras.layers.Conv2D;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Flatten;
import dev.tfkeras.layers.Input;
import dev.tfkeras.models.Model;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * The seed notebook's subclassed model: Conv2D(32, 3, relu), Flatten, Dense(128, relu), Dense(10).
 *
 * <p>Saveable as itself, as Keras saves a registered subclassed model: register it once, then
 * {@code save("x.keras")} writes {@code registered_name} {@code "Custom>MyModel"}, its config
 * (Keras's base keys: it has no constructor arguments) and its layers' weights under their field
 * names ({@code conv1/vars/0}, {@code d1/vars/0}...), and {@code Model.load} rebuilds it:
 *
 * <pre>{@code
 * CustomObjects.register("MyModel", MyModel::fromConfig);
 * model.save(Path.of("my_model.keras"));
 * Model again = Model.load(Path.of("my_model.keras"));
 * }</pre>
 *
 * Python reads such a file only with a Python class of that name registered; the demo's {@code
 * --save-keras} therefore writes {@link #toSequential()}, which Python loads without custom code.
 */
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
   * Keras's base config of a model without constructor arguments ({@code Layer.get_config}):
   * {@code name}, {@code trainable}, {@code dtype}.
   */
  @Override
  public Config getConfig() {
    return new Config().put("name", name()).put("trainable", isTrainable()).put("dtype", "float32");
  }

  /** The model {@link #getConfig()} describes, unbuilt; Keras's {@code from_config}. */
  public static MyModel fromConfig(Config config) {
    MyModel model = new MyModel();
    String name = config.getString("name", null);
    if (name != null) {
      model.name(name);
    }
    model.setTrainable(config.getBoolean("trainable", true));
    Object dtype = config.get("dtype");
    if (dtype != null && !"float32".equals(dtype) && !(dtype instanceof Config policy
        && policy.getConfig("config") != null && "float32".equals(policy.getConfig("config").name()))) {
      throw config.invalid("dtype", "float32 (MyModel computes in float32)");
    }
    config.checkAllRead();
    return model;
  }

  /**
   * The same network as a {@code Sequential} holding a copy of this model's weights: what the demo
   * saves to a {@code .keras} file by default, since Python loads a Sequential without this class.
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
