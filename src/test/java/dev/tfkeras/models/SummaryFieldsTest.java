package dev.tfkeras.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tfkeras.layers.Activation;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.testing.FreshRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/** Keras 3's summary of a built subclassed model lists a field layer its call never used, unbuilt. */
@ExtendWith(FreshRuntime.class)
class SummaryFieldsTest {

  static final class WithSpare extends Model {
    final Dense used = new Dense(4, Activation.RELU);
    final Dense spare = new Dense(3);

    @Override
    protected Operand<TFloat32> call(Operand<TFloat32> x, boolean training) {
      return used.apply(x);
    }
  }

  @Test
  void aFieldLayerNeverCalledIsListedUnbuilt() {
    try (WithSpare model = new WithSpare()) {
      model.buildFor(Shape.of(-1, 5));
      assertEquals(
          "Model: \"with_spare\"\n"
              + "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓\n"
              + "┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃\n"
              + "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩\n"
              + "│ used (Dense)                    │ (None, 4)              │            24 │\n"
              + "├─────────────────────────────────┼────────────────────────┼───────────────┤\n"
              + "│ spare (Dense)                   │ ?                      │   0 (unbuilt) │\n"
              + "└─────────────────────────────────┴────────────────────────┴───────────────┘\n"
              + " Total params: 24 (96.00 B)\n"
              + " Trainable params: 24 (96.00 B)\n"
              + " Non-trainable params: 0 (0.00 B)\n",
          SummaryTest.summary(model));
    }
  }
}
