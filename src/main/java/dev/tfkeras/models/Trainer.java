package dev.tfkeras.models;

import dev.tfkeras.callbacks.Callback;
import dev.tfkeras.callbacks.History;
import dev.tfkeras.callbacks.ProgressBar;
import dev.tfkeras.data.Batch;
import dev.tfkeras.data.Dataset;
import dev.tfkeras.data.DatasetIterator;
import dev.tfkeras.function.TfFunction;
import dev.tfkeras.metrics.Metric;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/**
 * The loops behind {@code fit} and {@code evaluate}, one per call: each batch runs the model's
 * traced {@code trainStep} or {@code testStep}, which returns its logs computed in the same session
 * call as its updates; callbacks see those logs, and an epoch's logs are its last step's, as in
 * Keras. The metrics the model lists in {@code metrics()} are reset every epoch and before
 * evaluating.
 */
final class Trainer {

  private static final Logger LOG = LogManager.getLogger(Trainer.class);

  private final Model model;

  Trainer(Model model) {
    this.model = model;
  }

  /** One training run; {@code train} batched, {@code validation} batched or null. */
  History fit(Dataset train, Dataset validation, Run run, PrintStream out) {
    train = model.featuresInOrder(train);
    validation = validation == null ? null : model.featuresInOrder(validation);
    requireBatched(train, "training");
    requireTargets(train, "training");
    if (validation != null) {
      requireBatched(validation, "validation");
      requireTargets(validation, "validation");
    }
    if (run.initialEpoch >= run.epochs) {
      throw new IllegalArgumentException(
          "initialEpoch (" + run.initialEpoch + ") must be smaller than epochs (" + run.epochs
              + "), the index of the last epoch to train; nothing would be trained.");
    }
    long steps = run.stepsPerEpoch != null ? run.stepsPerEpoch : train.cardinality();
    if (steps == Dataset.INFINITE_CARDINALITY) {
      throw new IllegalArgumentException(
          "The training dataset repeats forever, so an epoch never ends: set stepsPerEpoch, e.g."
              + " new FitOptions().stepsPerEpoch(1000).");
    }
    History history = new History();
    List<Callback> callbacks = new ArrayList<>();
    callbacks.add(new ProgressBar(out, run.verbose, run.epochs, steps, System.console() != null && out == System.out));
    callbacks.addAll(run.callbacks);
    callbacks.add(history);
    callbacks.forEach(c -> c.setModel(model));
    model.resetStopTraining();

    callbacks.forEach(Callback::onTrainBegin);
    Map<String, Double> logs;
    try {
      // A callback (BackupAndRestore) may have restored an interrupted run in onTrainBegin.
      boolean resumed = model.resumeEpoch() >= 0;
      int firstEpoch = resumed ? model.resumeEpoch() : run.initialEpoch;
      int skipSteps = resumed ? model.resumeStep() : 0;
      logs = runEpochs(train, validation, run, steps, firstEpoch, skipSteps, callbacks);
    } catch (RuntimeException | Error failure) {
      // Let callbacks release what they hold (open files, weight snapshots), keep the failure.
      for (Callback callback : callbacks) {
        try {
          callback.onTrainFailure(failure);
          callback.onTrainEnd(Map.of());
        } catch (RuntimeException cleanup) {
          failure.addSuppressed(cleanup);
        }
      }
      throw failure;
    }
    // Keras's fit: with use_ema, the weights take their moving averages once training ends.
    model.optimizer().finalizeVariableValues(model.trainableVariables());
    callbacks.forEach(c -> c.onTrainEnd(logs));
    return history;
  }

  /** What one fit call trains: epochs, steps and callbacks, from {@link FitOptions}. */
  record Run(
      int epochs,
      int initialEpoch,
      Long stepsPerEpoch,
      int validationFreq,
      int verbose,
      ClassWeights classWeights,
      List<Callback> callbacks) {}

  /**
   * Epochs {@code firstEpoch..run.epochs-1}; the first {@code skipSteps} batches of the first epoch
   * are read (so that its data order is the uninterrupted run's) but not trained on.
   */
  private Map<String, Double> runEpochs(
      Dataset train, Dataset validation, Run run, long steps, int firstEpoch, int skipSteps,
      List<Callback> callbacks) {
    Map<String, Double> logs = new LinkedHashMap<>();
    // With stepsPerEpoch the data is read on across epochs, as Keras does.
    DatasetIterator carried = run.stepsPerEpoch != null ? train.iterator(firstEpoch) : null;
    try {
      for (int epoch = firstEpoch; epoch < run.epochs && !model.isStopTrainingRequested(); epoch++) {
        int e = epoch;
        callbacks.forEach(c -> c.onEpochBegin(e));
        resetMetrics();
        int step = 0;
        Map<String, Double> stepLogs = Map.of();
        DatasetIterator batches = carried != null ? carried : train.iterator(epoch);
        try {
          for (; epoch == firstEpoch && step < skipSteps && step < steps && batches.hasNext(); step++) {
            batches.next().close();
          }
          while (step < steps && batches.hasNext() && !model.isStopTrainingRequested()) {
            int s = step++;
            callbacks.forEach(c -> c.onTrainBatchBegin(s));
            try (Batch batch = batches.next()) {
              stepLogs = runStep(model.trainFunction(), batch, run.classWeights);
            }
            Map<String, Double> batchLogs = stepLogs;
            callbacks.forEach(c -> c.onTrainBatchEnd(s, batchLogs));
          }
        } finally {
          if (carried == null) {
            batches.close();
          }
        }
        if (step == 0) {
          throw new IllegalArgumentException(
              "The training data yielded no batch in epoch " + (epoch + 1) + ", so there is nothing"
                  + " to train on: check that the dataset is not empty (take, skip, or a batch size"
                  + " larger than the data with dropRemainder) or that stepsPerEpoch x epochs batches exist.");
        }
        if (step < steps && !model.isStopTrainingRequested()) {
          LOG.warn(
              "Your input ran out of data; interrupting training. Make sure that your dataset can"
                  + " generate at least stepsPerEpoch * epochs batches ({} * {}); you may need"
                  + " repeat() when building it.", steps, run.epochs - run.initialEpoch);
          model.stopTraining();
        }
        Map<String, Double> epochLogs = new LinkedHashMap<>(stepLogs);
        if (validation != null && (epoch + 1) % run.validationFreq == 0) {
          evaluate(validation, null, callbacks).forEach((key, value) -> epochLogs.put("val_" + key, value));
        }
        callbacks.forEach(c -> c.onEpochEnd(e, epochLogs));
        logs = epochLogs;
      }
    } finally {
      if (carried != null) {
        carried.close();
      }
    }
    return logs;
  }

  Map<String, Double> evaluate(Dataset data, ClassWeights classWeights, List<Callback> callbacks) {
    data = model.featuresInOrder(data);
    requireBatched(data, "evaluation");
    requireTargets(data, "evaluation");
    resetMetrics();
    callbacks.forEach(Callback::onTestBegin);
    int steps = 0;
    Map<String, Double> logs = Map.of();
    for (Batch batch : data) {
      try (batch) {
        int s = steps;
        callbacks.forEach(c -> c.onTestBatchBegin(s));
        logs = runStep(model.testFunction(), batch, classWeights);
        steps++;
        Map<String, Double> batchLogs = logs;
        callbacks.forEach(c -> c.onTestBatchEnd(s, batchLogs));
      }
    }
    if (steps == 0) {
      throw new IllegalArgumentException(
          "The evaluation data yielded no batch, so there is nothing to evaluate: check that the"
              + " dataset is not empty, received " + data + ".");
    }
    Map<String, Double> result = new LinkedHashMap<>(logs);
    callbacks.forEach(c -> c.onTestEnd(Collections.unmodifiableMap(result)));
    return result;
  }

  /**
   * Runs the traced step on the batch's {@code (inputs, targets, sample weights)} (traced on first
   * use of that structure and signature) and returns the logs it computed, in one session call.
   */
  private static Map<String, Double> runStep(
      TfFunction<Map<String, TType>> step, Batch batch, ClassWeights classWeights) {
    TType weights = null;
    if (classWeights != null) {
      if (batch.hasSampleWeights()) {
        throw new IllegalArgumentException(FitPlan.BOTH_WEIGHTS);
      }
      weights = classWeights.forLabels(batch.labels(), batch.labelCount());
    }
    Map<String, TType> logs = null;
    try {
      logs = step.callGroups(StepData.groups(batch, weights));
      return values(step.name(), logs);
    } finally {
      if (logs != null) {
        logs.values().forEach(TType::close);
      }
      if (weights != null) {
        weights.close();
      }
    }
  }

  /** The logs' scalars as numbers, in the step's order. */
  private static Map<String, Double> values(String step, Map<String, TType> logs) {
    Map<String, Double> values = new LinkedHashMap<>();
    logs.forEach((name, tensor) -> values.put(name, scalar(step, name, tensor)));
    return Collections.unmodifiableMap(values);
  }

  private static double scalar(String step, String name, TType tensor) {
    if (tensor.shape().size() != 1) {
      throw new IllegalStateException(
          "The log '" + name + "' returned by " + step + " has shape " + tensor.shape() + "; logs"
              + " must be scalars, e.g. a metric's resultOperand() or a mean (tf.math.mean).");
    }
    if (tensor instanceof TFloat32 t) {
      return t.scalars().iterator().next().getFloat();
    }
    if (tensor instanceof TFloat64 t) {
      return t.scalars().iterator().next().getDouble();
    }
    if (tensor instanceof TInt32 t) {
      return t.scalars().iterator().next().getInt();
    }
    if (tensor instanceof TInt64 t) {
      return t.scalars().iterator().next().getLong();
    }
    throw new IllegalStateException(
        "The log '" + name + "' returned by " + step + " is a " + tensor.type().getSimpleName()
            + "; logs must be float32, float64, int32 or int64 scalars: cast it.");
  }

  private void resetMetrics() {
    model.metrics().forEach(Metric::resetState);
  }

  private static void requireBatched(Dataset data, String what) {
    if (!data.isBatched()) {
      throw new IllegalArgumentException(
          "The " + what + " dataset must be batched: call .batch(32) on it, received " + data + ".");
    }
  }

  /** Targets are needed by a compiled loss; a step that computes its own may train on x alone. */
  private void requireTargets(Dataset data, String what) {
    if (data.labelCount() == 0 && model.hasCompiledLoss()) {
      throw new IllegalArgumentException(
          "The " + what + " data has no targets (it was made without y), so no loss can be"
              + " computed; pass targets, e.g. Dataset.fromTensorSlices(x, y).");
    }
  }
}
