package dev.tfkeras.models;

import dev.tfkeras.data.ArrayAdapter;
import dev.tfkeras.data.Dataset;
import dev.tfkeras.runtime.GraphRuntime;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What one {@code fit} call trains on, from its data and {@link FitOptions}: the batched training
 * data, the validation data (or null) and the loop's settings, as Keras's array and dataset
 * adapters prepare them.
 */
record FitPlan(Dataset train, Dataset validation, Trainer.Run run, ClassWeights classWeights) {

  /** A batched dataset as it is: shuffling, batching and splitting belong to the dataset. */
  static FitPlan forDataset(Dataset train, FitOptions options) {
    if (options.validationSplit > 0 && options.validationDataset == null && options.validationX == null) {
      throw new IllegalArgumentException(
          "validationSplit is only supported for array data, received a Dataset; split it yourself"
              + " (Utils.splitDataset, or take/skip) and pass validationData.");
    }
    if (train.cardinality() == 0) {
      throw new IllegalArgumentException(
          "fit received an empty dataset: it yields 0 batches (" + train + "); check the take, skip"
              + " and batch(n, dropRemainder) calls that made it, or the data it was made from.");
    }
    ClassWeights classWeights = classWeights(options);
    return new FitPlan(train, validation(options), run(options, classWeights), classWeights);
  }

  /**
   * Arrays as Keras's array adapter takes them: the last {@code validationSplit} of the examples
   * held out before shuffling, the rest reshuffled every epoch and batched.
   */
  static FitPlan forArrays(Object x, Object y, FitOptions options) {
    if (x instanceof Dataset) {
      throw new IllegalArgumentException(
          "x is a Dataset, which carries its own targets: call fit(dataset, options) or"
              + " fit(dataset, epochs).");
    }
    if (y == null) {
      throw new IllegalArgumentException("y must not be null: fit needs targets for the loss.");
    }
    ClassWeights classWeights = classWeights(options);
    Object sampleWeight = options.sampleWeight;
    if (classWeights != null) {
      if (sampleWeight != null) {
        throw new IllegalArgumentException(BOTH_WEIGHTS);
      }
      sampleWeight = classWeights.sampleWeightsOf(y); // on the host, once, as Keras's array adapter
    }
    Dataset all = ArrayAdapter.slices("fit", "", x, y, sampleWeight, skipAdvice(options));
    Dataset train = all;
    Dataset validation = validation(options);
    if (validation == null && options.validationSplit > 0) {
      long count = all.cardinality();
      long splitAt = (long) Math.floor(count * (1.0 - options.validationSplit));
      if (splitAt == 0 || splitAt == count) {
        throw new IllegalArgumentException(
            "validationSplit=" + options.validationSplit + " of " + count + " examples leaves no"
                + " example for " + (splitAt == 0 ? "training" : "validation") + "; use more data or"
                + " a split that leaves examples on both sides.");
      }
      train = all.take(splitAt);
      validation = all.skip(splitAt).batch(validationBatchSize(options));
    }
    if (options.shuffle) {
      // Keras shuffles the whole array every epoch; reproducible after GraphRuntime.setRandomSeed.
      long seed = GraphRuntime.randomSeed().orElseGet(() -> ThreadLocalRandom.current().nextLong());
      train = train.shuffle((int) train.cardinality(), seed);
    }
    return new FitPlan(train.batch(options.batchSize).prefetch(2), validation, run(options, null), classWeights);
  }

  /** How the non-finite data message ends, or null when {@link FitOptions#checkFinite} is off. */
  private static String skipAdvice(FitOptions options) {
    return options.checkFinite
        ? "fix the data or set FitOptions.checkFinite(false) to skip this check."
        : null;
  }

  private static int validationBatchSize(FitOptions options) {
    return options.validationBatchSize != null ? options.validationBatchSize : options.batchSize;
  }

  private static Dataset validation(FitOptions options) {
    Dataset validation = options.validationDataset;
    if (validation == null && options.validationX != null) {
      validation =
          ArrayAdapter.slices(
                  "fit",
                  "validationData ",
                  options.validationX,
                  options.validationY,
                  options.validationSampleWeight,
                  skipAdvice(options))
              .batch(validationBatchSize(options));
    }
    if (validation != null && options.validationSteps != null) {
      validation = validation.take(options.validationSteps);
    }
    return validation;
  }

  /** Keras's message when both are given; shared by the array path and the dataset loop. */
  static final String BOTH_WEIGHTS =
      "You cannot use classWeight and sample weights at the same time: the data already carries"
          + " sample weights; fold the class weights into them.";

  private static ClassWeights classWeights(FitOptions options) {
    return options.classWeight == null ? null : new ClassWeights(options.classWeight);
  }

  /** The loop's settings; {@code perBatch} class weights are applied to each batch (a dataset's). */
  private static Trainer.Run run(FitOptions options, ClassWeights perBatch) {
    return new Trainer.Run(
        options.epochs,
        options.initialEpoch,
        options.stepsPerEpoch,
        options.validationFreq,
        options.verbose,
        perBatch,
        List.copyOf(options.callbacks));
  }
}
