package dev.tfkeras.layers.preprocessing;

import static dev.tfkeras.utils.Utils.timeseriesDatasetFromArray;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.data.Dataset;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Input;
import dev.tfkeras.layers.LSTM;
import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.testing.FreshRuntime;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An example kept honest by a test: an LSTM forecaster of the next step of a noisy sine, trained
 * with {@code fit} on {@link dev.tfkeras.utils.Utils#timeseriesDatasetFromArray} windows, with a
 * {@link Normalization} adapted on the training series in front and an inverted one behind (so the
 * network works in unit scale and answers in the series' scale), beating the naive last-value
 * forecast on held-out windows. The README's "Preprocessing layers and time series" shows it.
 */
@ExtendWith(FreshRuntime.class)
class TimeSeriesForecastExampleTest {

  private static final int WINDOW = 24;

  @Test
  void lstmForecasterBeatsTheNaiveForecast() {
    // 50 + 10 sin(2πt/25) + noise: a level and scale far from unit, which Normalization removes
    Random random = new Random(7);
    int steps = 1000;
    float[][] series = new float[steps][1];
    for (int t = 0; t < steps; t++) {
      series[t][0] = (float) (50 + 10 * Math.sin(2 * Math.PI * t / 25) + 0.5 * random.nextGaussian());
    }
    int split = 800;
    float[][] train = Arrays.copyOfRange(series, 0, split);
    float[][] test = Arrays.copyOfRange(series, split, steps);

    // window i holds steps i..i+23 and its target is step i+24 (Keras's Example 2)
    Dataset trainWindows = timeseriesDatasetFromArray(
        Arrays.copyOf(train, split - WINDOW), Arrays.copyOfRange(train, WINDOW, split), WINDOW,
        1, 1, 32, true, 1L, null, null);
    Dataset testWindows = timeseriesDatasetFromArray(
        Arrays.copyOf(test, test.length - WINDOW), Arrays.copyOfRange(test, WINDOW, test.length), WINDOW,
        1, 1, 32, false, null, null, null);

    // adapt streams the training windows batch by batch (their inputs; Keras: adapt(ds.map(lambda x, y: x)))
    Normalization scale = new Normalization();
    scale.adapt(trainWindows);
    Normalization unscale = new Normalization().invert(true);
    unscale.adapt(train);
    try (Sequential model =
        new Sequential(Input.of(WINDOW, 1), scale, new LSTM(16), new Dense(1), unscale)) {
      model.compile(new Adam(0.01), "mse");
      model.fit(trainWindows, new FitOptions().epochs(15).verbose(0));
      double lstm = model.evaluate(testWindows).get("loss");

      double naive = 0;
      int count = test.length - WINDOW;
      for (int i = 0; i < count; i++) {
        naive += Math.pow(test[i + WINDOW][0] - test[i + WINDOW - 1][0], 2);
      }
      naive /= count;
      assertTrue(lstm < 0.5 * naive, "held-out MSE: LSTM " + lstm + ", naive last value " + naive);
    }
  }
}
