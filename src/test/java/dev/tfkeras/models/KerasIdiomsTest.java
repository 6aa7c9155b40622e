package dev.tfkeras.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.autodiff.GradientTape;
import dev.tfkeras.callbacks.EarlyStopping;
import dev.tfkeras.function.TfFunction;
import dev.tfkeras.layers.Conv2D;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Dropout;
import dev.tfkeras.layers.Flatten;
import dev.tfkeras.layers.Input;
import dev.tfkeras.layers.KerasTensor;
import dev.tfkeras.layers.Layer;
import dev.tfkeras.losses.SparseCategoricalCrossentropy;
import dev.tfkeras.metrics.SparseCategoricalAccuracy;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.regularizers.L2;
import dev.tfkeras.testing.FreshRuntime;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** The README's "From Keras to tfkeras" table, line by line: each Java line compiles and does what its Keras line does. */
@ExtendWith(FreshRuntime.class)
class KerasIdiomsTest {

  @Test
  void theTablesLinesRunAsKerasLinesDo() {
    Random random = new Random(1);
    float[][] xTrain = new float[64][784];
    int[] yTrain = new int[64];
    for (int i = 0; i < 64; i++) {
      for (int j = 0; j < 784; j += 7) xTrain[i][j] = random.nextFloat();
      yTrain[i] = random.nextInt(10);
    }

    Sequential sequential = new Sequential(Input.of(784), new Dense(64, "relu"), new Dense(10));
    assertTrue(sequential.isBuilt());
    sequential.compile("adam", "sparse_categorical_crossentropy", "accuracy");
    Map<String, Double> scores = sequential.evaluate(xTrain, yTrain);
    assertEquals(List.of("loss", "accuracy"), List.copyOf(scores.keySet()));

    KerasTensor inputs = Input.named("digits", TFloat32.class, 784);
    KerasTensor x = new Dense(64, "relu").apply(inputs);
    x = new Dropout(0.5).apply(x);
    KerasTensor outputs = new Dense(10).name("predictions").apply(x);
    Functional model = Model.of("mnist", List.of(inputs), List.of(outputs));
    assertEquals("mnist", model.name());
    model.compile(new Adam(1e-3), new SparseCategoricalCrossentropy(true), new SparseCategoricalAccuracy("accuracy"));
    var history =
        model.fit(
            xTrain, yTrain,
            new FitOptions().batchSize(16).epochs(2).validationSplit(0.25).verbose(0)
                .callbacks(new EarlyStopping().monitor("val_loss").patience(2)));
    assertEquals(2, history.get("val_loss").size());
    FloatNdArray y = model.predictArray(xTrain);
    assertEquals(64, y.shape().get(0));
    assertEquals(10, y.shape().get(1));
    try (TFloat32 direct = model.apply(xTrain)) {
      assertEquals(y.getFloat(3, 4), direct.getFloat(3, 4));
    }
    assertArrayEquals(model.predict(xTrain)[5], rows(model.predictOnBatch(xTrain), 5));
    Layer predictions = model.getLayer("predictions");
    assertSame(outputs, predictions.output());
    assertEquals(4, model.layers().size());

    Conv2D conv = new Conv2D(32, 3).padding("same").kernelRegularizer(new L2(1e-4));
    Sequential images = new Sequential(Input.of(8, 8, 1), conv, new Flatten(), new Dense(10));
    assertEquals("(None, 8, 8, 32)", Layer.format(conv.outputShape()));
    images.setTrainable(false);
    assertTrue(images.trainableVariables().isEmpty());

    Adam optimizer = new Adam(1e-3);
    var trainStep =
        TfFunction.of(
            TFloat32.class,
            TInt32.class,
            (batchX, batchY) -> {
              var tape = new GradientTape();
              Operand<TFloat32> loss;
              try (tape) {
                loss = new SparseCategoricalCrossentropy(true).call(batchY, model.apply(batchX, true), null);
              }
              var grads = tape.gradient(loss, model.trainableVariables());
              optimizer.applyGradients(grads, model.trainableVariables());
            });
    try (TFloat32 bx = TFloat32.tensorOf(org.tensorflow.ndarray.StdArrays.ndCopyOf(xTrain));
        TInt32 by = TInt32.vectorOf(yTrain)) {
      trainStep.call(bx, by);
    }
    assertEquals(1, optimizer.iterations());
  }

  private static float[] rows(FloatNdArray array, int row) {
    float[] out = new float[(int) array.shape().get(1)];
    for (int j = 0; j < out.length; j++) {
      out[j] = array.getFloat(row, j);
    }
    return out;
  }
}
