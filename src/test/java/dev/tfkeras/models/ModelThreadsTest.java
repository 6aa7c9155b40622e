package dev.tfkeras.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.callbacks.Callback;
import dev.tfkeras.layers.Activation;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.losses.MeanSquaredError;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.testing.FreshRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Concurrent first use and inference are safe; concurrent training of one model is refused. */
@ExtendWith(FreshRuntime.class)
class ModelThreadsTest {

  private static final float[][] X = {{1, 2, 3}, {4, 5, 6}, {-1, 0, 1}};

  private static Sequential model() {
    return new Sequential(new Dense(16, Activation.RELU), new Dense(2));
  }

  @Test
  void manyThreadsMakingTheFirstPredictBuildTheModelOnce() throws Exception {
    try (var model = model()) {
      int threads = 8;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<float[][]>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return model.predict(X);
                }));
      }
      start.countDown();
      pool.shutdown();
      assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
      float[][] reference = model.predict(X);
      for (Future<float[][]> result : results) {
        assertArrayEquals(reference, result.get());
      }
      assertEquals(4, model.variables().size(), "built once: one kernel and bias per layer");
    }
  }

  @Test
  void inferenceOnABuiltModelRunsConcurrently() throws Exception {
    try (var model = model()) {
      float[][] reference = model.predict(X);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 50; i++) {
                    if (!java.util.Arrays.deepEquals(reference, model.predict(X))) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      pool.shutdown();
      assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
      for (Future<Boolean> result : results) {
        assertTrue(result.get());
      }
    }
  }

  @Test
  void aSecondConcurrentFitIsRefused() throws Exception {
    try (var model = model()) {
      model.compile(new Adam(), new MeanSquaredError());
      float[][] y = {{1, 0}, {0, 1}, {1, 1}};
      CountDownLatch training = new CountDownLatch(1);
      CountDownLatch attempted = new CountDownLatch(1);
      Callback holdFirstBatch =
          new Callback() {
            @Override
            public void onTrainBatchBegin(int batch) {
              training.countDown();
              try {
                attempted.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          };
      AtomicReference<Throwable> firstFailure = new AtomicReference<>();
      Thread first =
          new Thread(
              () -> {
                try {
                  model.fit(X, y, new FitOptions().verbose(0).callbacks(holdFirstBatch));
                } catch (Throwable e) {
                  firstFailure.set(e);
                }
              });
      first.start();
      assertTrue(training.await(30, TimeUnit.SECONDS));
      IllegalStateException refused;
      try {
        refused =
            org.junit.jupiter.api.Assertions.assertThrows(
                IllegalStateException.class, () -> model.fit(X, y, new FitOptions().verbose(0)));
      } finally {
        attempted.countDown();
      }
      first.join(30_000);
      assertEquals(null, firstFailure.get());
      assertEquals(
          "Model 'sequential' is already being trained by fit in another thread; a model trains in"
              + " one thread at a time (its weights and optimizer state are shared). Wait for that"
              + " fit to end, or build one model per thread.",
          refused.getMessage());
      model.fit(X, y, new FitOptions().verbose(0)); // free again afterwards
    }
  }
}
