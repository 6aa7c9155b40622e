package dev.tfkeras.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tfkeras.models.TestModels;
import dev.tfkeras.testing.FreshRuntime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** LambdaCallback's hooks in fit (with validation), evaluate and predict. */
@ExtendWith(FreshRuntime.class)
class LambdaCallbackTest {

  @Test
  void hooksRunWhereKerasRunsThem() {
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model);
      List<String> events = new ArrayList<>();
      var callback =
          new LambdaCallback()
              .onTrainBegin(() -> events.add("trainBegin"))
              .onEpochBegin(epoch -> events.add("epochBegin " + epoch))
              .onTrainBatchEnd((batch, logs) -> events.add("batchEnd " + batch))
              .onTestBegin(() -> events.add("testBegin"))
              .onTestEnd(logs -> events.add("testEnd " + logs.keySet()))
              .onEpochEnd((epoch, logs) -> events.add("epochEnd " + epoch + " " + logs.keySet()))
              .onTrainEnd(logs -> events.add("trainEnd"))
              .onPredictBatchBegin(batch -> events.add("predictBatchBegin " + batch))
              .onPredictEnd(() -> events.add("predictEnd"));
      var train = FitCallbacksTest.TRAIN.dataset().batch(50); // 2 batches
      var validation = FitCallbacksTest.VALIDATION.dataset().batch(64); // 1 batch
      model.fit(train, 1, validation, 0, callback);
      assertEquals(
          List.of("trainBegin", "epochBegin 0", "batchEnd 0", "batchEnd 1", "testBegin",
              "testEnd [loss, accuracy]", "epochEnd 0 [loss, accuracy, val_loss, val_accuracy]", "trainEnd"),
          events);
      events.clear();
      model.predict(validation, callback);
      assertEquals(List.of("predictBatchBegin 0", "predictEnd"), events);
    }
  }
}
