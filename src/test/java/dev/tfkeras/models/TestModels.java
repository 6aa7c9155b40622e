package dev.tfkeras.models;

import dev.tfkeras.SyntheticData;
import dev.tfkeras.layers.Activation;
import dev.tfkeras.layers.Conv2D;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Flatten;
import dev.tfkeras.losses.SparseCategoricalCrossentropy;
import dev.tfkeras.metrics.SparseCategoricalAccuracy;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.optimizers.Optimizer;
import dev.tfkeras.testing.Tensors;
import dev.tfkeras.variables.Variable;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/** Small models and helpers shared by the model, callback and saving tests. */
public final class TestModels {

  private TestModels() {}

  /** Input shape of {@link SyntheticData} batches. */
  public static final Shape INPUT = Shape.of(-1, SyntheticData.SIZE, SyntheticData.SIZE, 1);

  /** The seed model's architecture, scaled down for 8x8 synthetic images and 4 classes. */
  public static class SmallCnn extends Model {
    public final Conv2D conv1 = new Conv2D(8, 3, Activation.RELU);
    public final Flatten flatten = new Flatten();
    public final Dense d1 = new Dense(16, Activation.RELU);
    public final Dense d2 = new Dense(SyntheticData.CLASSES);

    @Override
    protected Operand<TFloat32> call(Operand<TFloat32> x, boolean training) {
      return d2.apply(d1.apply(flatten.apply(conv1.apply(x))));
    }
  }

  /** Compiles with {@code optimizer}, sparse categorical cross-entropy on logits and accuracy. */
  public static void compile(Model model, Optimizer optimizer) {
    model.compile(optimizer, new SparseCategoricalCrossentropy(true), new SparseCategoricalAccuracy("accuracy"));
  }

  /** Compiles with Adam defaults. */
  public static void compile(Model model) {
    compile(model, new Adam());
  }

  /** Every weight's current value, in {@code model.variables()} order. */
  public static List<float[]> weights(Model model) {
    List<float[]> values = new ArrayList<>();
    for (Variable<TFloat32> v : model.variables()) {
      try (TFloat32 t = v.value()) {
        values.add(Tensors.read(t));
      }
    }
    return values;
  }

  /** Sets every element of every weight to {@code value}. */
  public static void fill(Model model, float value) {
    for (Variable<TFloat32> v : model.variables()) {
      float[] values = new float[(int) v.size()];
      java.util.Arrays.fill(values, value);
      try (TFloat32 t = Tensors.floats(values, v.shape().asArray())) {
        v.assign(t);
      }
    }
  }

  /** Clears a stop request, as the start of {@code fit} does, for callbacks driven by hand. */
  public static void clearStopRequest(Model model) {
    model.resetStopTraining();
  }

  /** Whether two weight lists are equal element by element (bitwise for floats). */
  public static boolean sameWeights(List<float[]> a, List<float[]> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!java.util.Arrays.equals(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }
}
