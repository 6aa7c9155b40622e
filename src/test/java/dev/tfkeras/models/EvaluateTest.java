package dev.tfkeras.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tfkeras.SyntheticData;
import dev.tfkeras.testing.FreshRuntime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FreshRuntime.class)
class EvaluateTest {

  @Test
  void lossAndMetricsDoNotDependOnTheBatchSize() {
    SyntheticData data = new SyntheticData(128, 5);
    try (var model = FitTest.smallCnn()) {
      FitTest.compile(model);
      model.fit(data.dataset().batch(32), 1, null, 0);
      Map<String, Double> whole = model.evaluate(data.dataset().batch(128));
      // 50 + 50 + 28: the last partial batch must weigh 28 examples, not one batch
      Map<String, Double> split = model.evaluate(data.dataset().batch(50));
      assertEquals(whole.get("loss"), split.get("loss"), 1e-5 * Math.max(1, whole.get("loss")));
      assertEquals(whole.get("accuracy"), split.get("accuracy"), 1e-6);
    }
  }
}
