package dev.tfkeras.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keras's string identifiers (keras/src/losses/__init__.py: ALL_OBJECTS_DICT) and their defaults. */
class LossesTest {

  private static final Map<Class<? extends Loss>, List<String>> IDENTIFIERS = Map.of(
      SparseCategoricalCrossentropy.class,
      List.of("sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"),
      CategoricalCrossentropy.class, List.of("categorical_crossentropy", "CategoricalCrossentropy"),
      BinaryCrossentropy.class, List.of("binary_crossentropy", "BinaryCrossentropy", "bce", "BCE"),
      MeanSquaredError.class, List.of("mean_squared_error", "MeanSquaredError", "mse", "MSE"),
      MeanAbsoluteError.class, List.of("mean_absolute_error", "MeanAbsoluteError", "mae", "MAE"),
      MeanSquaredLogarithmicError.class,
      List.of("mean_squared_logarithmic_error", "MeanSquaredLogarithmicError", "msle", "MSLE"),
      Huber.class, List.of("huber", "Huber"),
      KLDivergence.class, List.of("kl_divergence", "KLDivergence", "kld", "KLD"));

  @Test
  void everyIdentifierGivesANewLossWithKerasDefaults() {
    IDENTIFIERS.forEach((type, identifiers) -> {
      for (String identifier : identifiers) {
        Loss loss = Losses.get(identifier);
        assertInstanceOf(type, loss, identifier);
        assertEquals(Reduction.SUM_OVER_BATCH_SIZE, loss.reduction(), identifier);
        assertNotSame(loss, Losses.get(identifier), identifier + ": a new instance per call");
      }
    });
    assertEquals("mean_squared_error", Losses.get("mse").name());
    assertEquals("huber_loss", Losses.get("huber").name());
    assertEquals(1.0, ((Huber) Losses.get("huber")).delta());
    assertFalse(((BinaryCrossentropy) Losses.get("bce")).fromLogits());
    assertEquals(0.0, ((BinaryCrossentropy) Losses.get("bce")).labelSmoothing());
    assertFalse(((CategoricalCrossentropy) Losses.get("categorical_crossentropy")).fromLogits());
    assertFalse(((SparseCategoricalCrossentropy) Losses.get("sparse_categorical_crossentropy")).fromLogits());
  }

  @Test
  void unknownIdentifiersListTheKnownOnes() {
    for (String unknown : List.of("mean_squared_errors", "Mse", "kullback_leibler_divergence", "")) {
      var e = assertThrows(IllegalArgumentException.class, () -> Losses.get(unknown));
      assertEquals(
          "Unknown loss identifier '" + unknown + "'. Known identifiers:"
              + " sparse_categorical_crossentropy, SparseCategoricalCrossentropy,"
              + " categorical_crossentropy, CategoricalCrossentropy, binary_crossentropy,"
              + " BinaryCrossentropy, bce, BCE, mean_squared_error, MeanSquaredError, mse, MSE,"
              + " mean_absolute_error, MeanAbsoluteError, mae, MAE, mean_squared_logarithmic_error,"
              + " MeanSquaredLogarithmicError, msle, MSLE, mean_absolute_percentage_error,"
              + " MeanAbsolutePercentageError, mape, MAPE, huber, Huber, log_cosh, LogCosh,"
              + " kl_divergence, KLDivergence, kld, KLD. Or pass a Loss instance, e.g. new"
              + " SparseCategoricalCrossentropy(true).",
          e.getMessage());
    }
    assertThrows(NullPointerException.class, () -> Losses.get(null));
  }

  @Test
  void customLossesAreNamedAfterTheirClass() {
    class MyFancyLoss extends MeanSquaredError {}
    assertEquals("mean_squared_error", new MyFancyLoss().name(), "a subclass keeps its parent's name");
    Loss custom = new Loss(Reduction.SUM) {
      @Override
      protected org.tensorflow.Operand<org.tensorflow.types.TFloat32> perSample(org.tensorflow.op.Ops tf,
          org.tensorflow.Operand<? extends org.tensorflow.types.family.TNumber> labels,
          org.tensorflow.Operand<org.tensorflow.types.TFloat32> predictions) {
        return predictions;
      }
    };
    assertEquals("loss", custom.name());
    assertEquals("ab_c_loss_fn", new AbCLossFn().name());
  }

  /** Keras's to_snake_case("AbCLossFn"). */
  private static final class AbCLossFn extends Loss {
    AbCLossFn() {
      super(Reduction.NONE);
    }

    @Override
    protected org.tensorflow.Operand<org.tensorflow.types.TFloat32> perSample(org.tensorflow.op.Ops tf,
        org.tensorflow.Operand<? extends org.tensorflow.types.family.TNumber> labels,
        org.tensorflow.Operand<org.tensorflow.types.TFloat32> predictions) {
      return predictions;
    }
  }
}
