package dev.tfkeras.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.SyntheticData;
import dev.tfkeras.models.TestModels;
import dev.tfkeras.testing.FreshRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A failing fit still ends every callback, so they release what they hold. */
@ExtendWith(FreshRuntime.class)
class FailingFitTest {

  @Test
  void onTrainEndRunsWithEmptyLogsAndTheFailurePropagates(@TempDir Path dir) throws Exception {
    IllegalStateException boom = new IllegalStateException("boom");
    List<Map<String, Double>> ends = new ArrayList<>();
    Callback failing =
        new Callback() {
          @Override
          public void onEpochEnd(int epoch, Map<String, Double> logs) {
            throw boom;
          }
        };
    Callback recorder =
        new Callback() {
          @Override
          public void onTrainEnd(Map<String, Double> logs) {
            ends.add(logs);
          }
        };
    Path csv = dir.resolve("log.csv");
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model);
      var data = new SyntheticData(64, 1).dataset().batch(32);
      var thrown =
          assertThrows(
              IllegalStateException.class,
              () -> model.fit(data, 2, null, 0, new CsvLogger(csv), failing, recorder));
      assertSame(boom, thrown);
    }
    assertEquals(List.of(Map.of()), ends, "onTrainEnd ran once, with empty logs");
  }
}
