package dev.tfkeras.callbacks;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.tensorflow.types.TFloat32;

/**
 * A callback made of lambdas, as Keras's {@code LambdaCallback(on_epoch_end=...)}: each setter
 * takes the hook's body and returns this; hooks not set do nothing.
 *
 * <pre>{@code
 * model.fit(train, 5, new LambdaCallback()
 *     .onEpochEnd((epoch, logs) -> System.out.println(epoch + " " + logs.get("loss"))));
 * }</pre>
 */
public final class LambdaCallback extends Callback {

  private Runnable trainBegin = () -> {};
  private Consumer<Map<String, Double>> trainEnd = logs -> {};
  private IntConsumer epochBegin = epoch -> {};
  private BiConsumer<Integer, Map<String, Double>> epochEnd = (epoch, logs) -> {};
  private IntConsumer trainBatchBegin = batch -> {};
  private BiConsumer<Integer, Map<String, Double>> trainBatchEnd = (batch, logs) -> {};
  private Runnable testBegin = () -> {};
  private Consumer<Map<String, Double>> testEnd = logs -> {};
  private IntConsumer testBatchBegin = batch -> {};
  private BiConsumer<Integer, Map<String, Double>> testBatchEnd = (batch, logs) -> {};
  private Runnable predictBegin = () -> {};
  private Runnable predictEnd = () -> {};
  private IntConsumer predictBatchBegin = batch -> {};
  private BiConsumer<Integer, List<TFloat32>> predictBatchEnd = (batch, outputs) -> {};

  /** Keras's {@code on_train_begin}. */
  public LambdaCallback onTrainBegin(Runnable hook) {
    trainBegin = Objects.requireNonNull(hook, "hook");
    return this;
  }

  /** Keras's {@code on_train_end}. */
  public LambdaCallback onTrainEnd(Consumer<Map<String, Double>> hook) {
    trainEnd = Objects.requireNonNull(hook, "hook");
    return this;
  }

  /** Keras's {@code on_epoch_begin}. */
  public LambdaCallback onEpochBegin(IntConsumer hook) {
    epochBegin = Objects.requireNonNull(hook, "hook");
    return this;
  }

  /** Keras's {@code on_epoch_end}. */
  public LambdaCallback onEpochEnd(BiConsumer<Integer, Map<String, Double>> hook) {
    epochEnd = Objects.requireNonNull(hook, "hook");
    return this;
  }

  /** Keras's {@code on_train_batch_begin}. */
  public LambdaCallback onTrainBatchBegin(IntConsumer hook) {
    trainBatchBegin = Objects.requireNonNull(hook, "hook");
    return this;
  }

  /** Keras's {@code on_train_batch_end}. */
  public LambdaCallback onTrainBatchEnd(BiConsumer<Integer, Map<String, Double>> hook) {
    trainBatchEnd = Objects.requireNonNull(hook, "hook");
    return this;
  }

  /** Keras's {@code on_test_begin}. */
  public LambdaCallback onTestBegin(Runnable hook) {
    testBegin = Objects.requireNonNull(hook, "hook");
    return this;
  }

  /** Keras's {@code on_test_end}. */
  public LambdaCallback onTestEnd(Consumer<Map<String, Double>> hook) {
    testEnd = Objects.requireNonNull(hook, "hook");
    return this;
  }

  /** Keras's {@code on_test_batch_begin}. */
  public LambdaCallback onTestBatchBegin(IntConsumer hook) {
    testBatchBegin = Objects.requireNonNull(hook, "hook");
    return this;
  }

  /** Keras's {@code on_test_batch_end}. */
  public LambdaCallback onTestBatchEnd(BiConsumer<Integer, Map<String, Double>> hook) {
    testBatchEnd = Objects.requireNonNull(hook, "hook");
    return this;
  }

  /** Keras's {@code on_predict_begin}. */
  public LambdaCallback onPredictBegin(Runnable hook) {
    predictBegin = Objects.requireNonNull(hook, "hook");
    return this;
  }

  /** Keras's {@code on_predict_end}. */
  public LambdaCallback onPredictEnd(Runnable hook) {
    predictEnd = Objects.requireNonNull(hook, "hook");
    return this;
  }

  /** Keras's {@code on_predict_batch_begin}. */
  public LambdaCallback onPredictBatchBegin(IntConsumer hook) {
    predictBatchBegin = Objects.requireNonNull(hook, "hook");
    return this;
  }

  /** Keras's {@code on_predict_batch_end}; the outputs are valid only during the call. */
  public LambdaCallback onPredictBatchEnd(BiConsumer<Integer, List<TFloat32>> hook) {
    predictBatchEnd = Objects.requireNonNull(hook, "hook");
    return this;
  }

  @Override
  public void onTrainBegin() {
    trainBegin.run();
  }

  @Override
  public void onTrainEnd(Map<String, Double> logs) {
    trainEnd.accept(logs);
  }

  @Override
  public void onEpochBegin(int epoch) {
    epochBegin.accept(epoch);
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    epochEnd.accept(epoch, logs);
  }

  @Override
  public void onTrainBatchBegin(int batch) {
    trainBatchBegin.accept(batch);
  }

  @Override
  public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
    trainBatchEnd.accept(batch, logs);
  }

  @Override
  public void onTestBegin() {
    testBegin.run();
  }

  @Override
  public void onTestEnd(Map<String, Double> logs) {
    testEnd.accept(logs);
  }

  @Override
  public void onTestBatchBegin(int batch) {
    testBatchBegin.accept(batch);
  }

  @Override
  public void onTestBatchEnd(int batch, Map<String, Double> logs) {
    testBatchEnd.accept(batch, logs);
  }

  @Override
  public void onPredictBegin() {
    predictBegin.run();
  }

  @Override
  public void onPredictEnd() {
    predictEnd.run();
  }

  @Override
  public void onPredictBatchBegin(int batch) {
    predictBatchBegin.accept(batch);
  }

  @Override
  public void onPredictBatchEnd(int batch, List<TFloat32> outputs) {
    predictBatchEnd.accept(batch, outputs);
  }
}
