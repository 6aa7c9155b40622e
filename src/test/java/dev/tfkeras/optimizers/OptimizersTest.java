package dev.tfkeras.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Keras's string identifiers for optimizers. */
class OptimizersTest {

  @Test
  void everyKerasIdentifierGivesItsOptimizerWithKerasDefaults() {
    assertInstanceOf(Adam.class, Optimizers.get("adam"));
    assertInstanceOf(SGD.class, Optimizers.get("SGD"));
    assertInstanceOf(RMSprop.class, Optimizers.get("rmsprop"));
    assertInstanceOf(AdamW.class, Optimizers.get("adamw"));
    assertInstanceOf(Adamax.class, Optimizers.get("Adamax"));
    assertInstanceOf(Nadam.class, Optimizers.get("nadam"));
    assertInstanceOf(Adagrad.class, Optimizers.get("adagrad"));
    assertInstanceOf(Adadelta.class, Optimizers.get("adadelta"));
    assertInstanceOf(Ftrl.class, Optimizers.get("Ftrl"));
    assertInstanceOf(Lion.class, Optimizers.get("lion"));
    assertEquals(1e-3f, Optimizers.get("lion").learningRate());
    assertEquals(0.01f, Optimizers.get("sgd").learningRate());
    assertEquals(java.util.Optional.of(0.004f), Optimizers.get("adamw").weightDecay());
  }

  @Test
  void anUnknownIdentifierListsTheKnownOnes() {
    var e = assertThrows(IllegalArgumentException.class, () -> Optimizers.get("adamx"));
    assertEquals(
        "Could not interpret optimizer identifier: \"adamx\". Known identifiers: adam, sgd, rmsprop,"
            + " adamw, adamax, nadam, adagrad, adadelta, ftrl, lion; or pass an Optimizer instance.",
        e.getMessage());
  }
}
