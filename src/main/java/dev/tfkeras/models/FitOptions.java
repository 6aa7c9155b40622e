package dev.tfkeras.models;

import dev.tfkeras.callbacks.Callback;
import dev.tfkeras.data.Dataset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keras's keyword arguments of {@code fit}, with Keras's defaults, as a fluent object:
 *
 * <pre>{@code
 * model.fit(x, y, new FitOptions().epochs(10).batchSize(64).validationSplit(0.1));
 * model.fit(trainDs, new FitOptions().epochs(5).validationData(testDs).callbacks(new EarlyStopping("val_loss", 2)));
 * }</pre>
 *
 * {@code fit} reads the options when it starts; changing them afterwards affects later calls only.
 */
public final class FitOptions {

  int epochs = 1;
  int batchSize = 32;
  int verbose = 1;
  final List<Callback> callbacks = new ArrayList<>();
  double validationSplit;
  Dataset validationDataset;
  Object validationX;
  Object validationY;
  Object validationSampleWeight;
  Integer validationBatchSize;
  Long validationSteps;
  int validationFreq = 1;
  boolean shuffle = true;
  Map<Integer, Double> classWeight;
  Object sampleWeight;
  int initialEpoch;
  Long stepsPerEpoch;
  boolean checkFinite = true;

  /** Index of the last epoch to train, counting from 1 (default 1), as Keras's {@code epochs}. */
  public FitOptions epochs(int epochs) {
    if (epochs <= 0) {
      throw new IllegalArgumentException("epochs must be a positive integer, received: epochs=" + epochs);
    }
    this.epochs = epochs;
    return this;
  }

  /** Examples per batch when fitting arrays (default 32); datasets are batched already. */
  public FitOptions batchSize(int batchSize) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException(
          "batchSize must be a positive integer, received: batchSize=" + batchSize);
    }
    this.batchSize = batchSize;
    return this;
  }

  /** 0 silent, 1 progress bar (default), 2 one line per epoch. */
  public FitOptions verbose(int verbose) {
    if (verbose < 0 || verbose > 2) {
      throw new IllegalArgumentException("verbose must be 0, 1 or 2, received: verbose=" + verbose);
    }
    this.verbose = verbose;
    return this;
  }

  /** Callbacks called during training, after the progress bar and before the history. */
  public FitOptions callbacks(Callback... callbacks) {
    for (Callback callback : callbacks) {
      this.callbacks.add(Objects.requireNonNull(callback, "callback"));
    }
    return this;
  }

  /**
   * Fraction of the array data (in [0, 1)) held out for validation: the last examples, taken before
   * shuffling, as Keras does. Arrays only; ignored when {@link #validationData} is set.
   */
  public FitOptions validationSplit(double fraction) {
    if (!(fraction >= 0 && fraction < 1)) {
      throw new IllegalArgumentException(
          "validationSplit must be a number in [0, 1), received: validationSplit=" + fraction);
    }
    this.validationSplit = fraction;
    return this;
  }

  /** Batched data evaluated at the end of each epoch ({@code val_} logs). */
  public FitOptions validationData(Dataset validation) {
    this.validationDataset = Objects.requireNonNull(validation, "validation");
    this.validationX = null;
    return this;
  }

  /** Validation arrays, batched like the training data ({@code validation_data=(x_val, y_val)}). */
  public FitOptions validationData(Object x, Object y) {
    return validationData(x, y, null);
  }

  /** Validation arrays with per-example weights. */
  public FitOptions validationData(Object x, Object y, Object sampleWeight) {
    this.validationX = Objects.requireNonNull(x, "x");
    this.validationY = Objects.requireNonNull(y, "y");
    this.validationSampleWeight = sampleWeight;
    this.validationDataset = null;
    return this;
  }

  /** Batch size for validation arrays (default: {@link #batchSize}). */
  public FitOptions validationBatchSize(int batchSize) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException(
          "validationBatchSize must be a positive integer, received: " + batchSize);
    }
    this.validationBatchSize = batchSize;
    return this;
  }

  /** Batches drawn from the validation data per evaluation (default: all of them). */
  public FitOptions validationSteps(long steps) {
    if (steps <= 0) {
      throw new IllegalArgumentException("validationSteps must be a positive integer, received: " + steps);
    }
    this.validationSteps = steps;
    return this;
  }

  /** Validate every {@code frequency} epochs (default 1: after every epoch). */
  public FitOptions validationFreq(int frequency) {
    if (frequency <= 0) {
      throw new IllegalArgumentException("validationFreq must be a positive integer, received: " + frequency);
    }
    this.validationFreq = frequency;
    return this;
  }

  /** Whether array data is reshuffled before each epoch (default true); datasets shuffle themselves. */
  public FitOptions shuffle(boolean shuffle) {
    this.shuffle = shuffle;
    return this;
  }

  /**
   * Weights of each class index in the loss and metrics (Keras's {@code class_weight}); classes not
   * listed weigh 1. Targets may be class indices or one-hot rows (the arg-max is the class).
   * Keys must be classes the model outputs, 0 to one less than its number of classes (2 for a
   * single sigmoid unit): a negative key is refused here, a key too large when {@code fit} starts.
   */
  public FitOptions classWeight(Map<Integer, ? extends Number> classWeight) {
    Map<Integer, Double> copy = new LinkedHashMap<>();
    classWeight.forEach((k, v) -> {
      double w = Objects.requireNonNull(v, "class weight").doubleValue();
      if (!Double.isFinite(w) || w < 0) {
        throw new IllegalArgumentException(
            "Class weights must be finite and non-negative, received " + w + " for class " + k + ".");
      }
      if (Objects.requireNonNull(k, "class") < 0) {
        throw new IllegalArgumentException(
            ClassWeights.EXPECTED + new java.util.TreeMap<>(classWeight) + ": class " + k
                + " is negative. Class indices count from 0; remove it.");
      }
      copy.put(k, w);
    });
    this.classWeight = copy;
    return this;
  }

  /** Per-example weights for array data, shape (N) or (N, ...): {@code sample_weight}. */
  public FitOptions sampleWeight(Object sampleWeight) {
    this.sampleWeight = Objects.requireNonNull(sampleWeight, "sampleWeight");
    return this;
  }

  /** The epoch to start at (default 0), to resume an earlier run: epochs initialEpoch+1..epochs run. */
  public FitOptions initialEpoch(int initialEpoch) {
    if (initialEpoch < 0) {
      throw new IllegalArgumentException("initialEpoch must be zero or positive, received: " + initialEpoch);
    }
    this.initialEpoch = initialEpoch;
    return this;
  }

  /**
   * Batches per epoch (default: one pass over the data). The data is then read on across epochs
   * without restarting, as Keras does; needed for a dataset that repeats forever.
   */
  public FitOptions stepsPerEpoch(long steps) {
    if (steps <= 0) {
      throw new IllegalArgumentException("stepsPerEpoch must be a positive integer, received: " + steps);
    }
    this.stepsPerEpoch = steps;
    return this;
  }

  /**
   * Whether {@code fit} on arrays first checks that the float inputs, targets and sample weights
   * hold no NaN or infinity (default true), failing with the array, example and position of the
   * first one instead of training to NaN weights. The check is one pass over the data per {@code
   * fit} (about 20 ms for 60000 images of 28x28 floats); false skips it. Datasets are not checked.
   */
  public FitOptions checkFinite(boolean checkFinite) {
    this.checkFinite = checkFinite;
    return this;
  }
}
