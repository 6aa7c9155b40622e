package dev.tfkeras.data;

import java.util.concurrent.ThreadLocalRandom;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;
import org.tensorflow.ndarray.Shape;

/**
 * An immutable input pipeline over in-memory (features, labels) pairs, the Java counterpart of
 * {@code tf.data.Dataset.from_tensor_slices((x, y)).shuffle(10000).batch(32)}.
 *
 * <p>Each transformation returns a new dataset and leaves this one unchanged. Iterating yields
 * {@link Batch}es whose tensors the caller closes:
 *
 * <pre>{@code
 * Dataset train = Dataset.fromTensorSlices(xTrain, yTrain).shuffle(10000).batch(32).prefetch(2);
 * for (Batch batch : train) {
 *   try (batch) {
 *     step(batch.features(), batch.labels());
 *   }
 * }
 * }</pre>
 *
 * <p>Unbatched datasets iterate element by element: each {@link Batch} then holds one element
 * without a leading batch dimension (features of the element's shape, a scalar label). Batching
 * twice is not supported.
 */
public final class Dataset implements Iterable<Batch> {

  /** Pass to {@link #prefetch(int)} to let the dataset choose the prefetch buffer size. */
  public static final int AUTOTUNE = -1;

  /** The buffer size {@link #AUTOTUNE} stands for: one batch in use, two being prepared. */
  static final int AUTOTUNE_BUFFER = 2;

  private final TensorSlices slices;
  private final Stage stage;
  private final boolean batched;
  private final long batchDimension;
  private final int prefetch;

  private Dataset(
      TensorSlices slices, Stage stage, boolean batched, long batchDimension, int prefetch) {
    this.slices = slices;
    this.stage = stage;
    this.batched = batched;
    this.batchDimension = batchDimension;
    this.prefetch = prefetch;
  }

  /**
   * A dataset whose elements are the slices of {@code features} (shape (N, ...)) along the first
   * dimension, paired with the matching entries of {@code labels} (shape (N)).
   *
   * <p>Both arrays are copied once, so later changes to them do not affect the dataset.
   *
   * @throws IllegalArgumentException if the shapes do not match or the dataset would be empty
   */
  public static Dataset fromTensorSlices(FloatNdArray features, IntNdArray labels) {
    TensorSlices slices = TensorSlices.copyOf(features, labels);
    return new Dataset(slices, new SliceStage(slices.count()), false, Shape.UNKNOWN_SIZE, 0);
  }

  /**
   * Randomly shuffles the elements with a reservoir of {@code bufferSize} elements, reshuffling on
   * every new iteration; {@code bufferSize >= cardinality()} gives a uniform shuffle.
   *
   * @throws IllegalArgumentException if {@code bufferSize <= 0}
   */
  public Dataset shuffle(int bufferSize) {
    return shuffle(bufferSize, ThreadLocalRandom.current().nextLong());
  }

  /**
   * Like {@link #shuffle(int)}, but reproducible: the same seed gives the same sequence of epoch
   * orders in every run (each epoch still differs from the previous one).
   *
   * @throws IllegalArgumentException if {@code bufferSize <= 0}
   */
  public Dataset shuffle(int bufferSize, long seed) {
    if (bufferSize <= 0) {
      throw new IllegalArgumentException(
          "shuffle buffer size must be a positive integer, received: bufferSize=" + bufferSize);
    }
    return new Dataset(
        slices, new ShuffleStage(stage, bufferSize, seed), batched, batchDimension, prefetch);
  }

  /**
   * Groups consecutive elements into batches of {@code batchSize}; the last batch may be smaller.
   *
   * @throws IllegalArgumentException if {@code batchSize <= 0}
   * @throws IllegalStateException if this dataset is already batched
   */
  public Dataset batch(int batchSize) {
    return batch(batchSize, false);
  }

  /**
   * Groups consecutive elements into batches of {@code batchSize}; with {@code dropRemainder} a
   * last, smaller batch is dropped so every batch has exactly {@code batchSize} rows.
   *
   * @throws IllegalArgumentException if {@code batchSize <= 0}
   * @throws IllegalStateException if this dataset is already batched
   */
  public Dataset batch(int batchSize, boolean dropRemainder) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException(
          "batch size must be a positive integer, received: batchSize=" + batchSize);
    }
    if (batched) {
      throw new IllegalStateException(
          "this dataset is already batched and nested batches are not supported; "
              + "call batch() once, e.g. fromTensorSlices(x, y).shuffle(n).batch(32)");
    }
    long dimension = dropRemainder ? batchSize : Shape.UNKNOWN_SIZE;
    return new Dataset(
        slices, new BatchStage(stage, batchSize, dropRemainder), true, dimension, prefetch);
  }

  /**
   * The first {@code count} elements of this dataset (batches, if it is batched), or all of them
   * if there are fewer.
   *
   * @throws IllegalArgumentException if {@code count < 0}
   */
  public Dataset take(long count) {
    if (count < 0) {
      throw new IllegalArgumentException(
          "take count must be zero or a positive integer, received: count=" + count);
    }
    return new Dataset(slices, new TakeStage(stage, count), batched, batchDimension, prefetch);
  }

  /**
   * Prepares up to {@code bufferSize} elements ahead on a background daemon thread, so that
   * host-side shuffling and gathering overlap the consumer's work. Prefetching applies to the whole
   * pipeline wherever it is called (the last call wins) and never changes the order of elements.
   *
   * @param bufferSize elements to prepare ahead, or {@link #AUTOTUNE}
   * @throws IllegalArgumentException if {@code bufferSize} is neither positive nor AUTOTUNE
   */
  public Dataset prefetch(int bufferSize) {
    if (bufferSize <= 0 && bufferSize != AUTOTUNE) {
      throw new IllegalArgumentException(
          "prefetch buffer size must be a positive integer or Dataset.AUTOTUNE, received: bufferSize="
              + bufferSize);
    }
    int size = bufferSize == AUTOTUNE ? AUTOTUNE_BUFFER : bufferSize;
    return new Dataset(slices, stage, batched, batchDimension, size);
  }

  /** Exact number of elements (batches, if batched) one iteration yields. */
  public long cardinality() {
    return stage.cardinality();
  }

  /** Whether {@link #batch(int)} was applied, so elements carry a leading batch dimension. */
  public boolean isBatched() {
    return batched;
  }

  /** Shape of each element's features; a batch dimension of unknown size is -1. */
  public Shape featureShape() {
    return batched ? slices.elementShape().prepend(batchDimension) : slices.elementShape();
  }

  /** Shape of each element's labels: (batch) when batched, a scalar otherwise. */
  public Shape labelShape() {
    return batched ? Shape.of(batchDimension) : Shape.scalar();
  }

  /**
   * Starts a new pass over the dataset (a new shuffle order, if shuffled). Close the iterator to
   * stop a pass early; an abandoned iterator's prefetch thread stops once it is garbage collected.
   */
  @Override
  public DatasetIterator iterator() {
    HostBatchSource source =
        prefetch > 0
            ? new PrefetchSource(stage.open(), slices, batched, prefetch)
            : new DirectSource(stage.open(), slices, batched);
    return new DatasetIterator(source);
  }

  @Override
  public String toString() {
    return "<Dataset elementSpec=(float32 "
        + TensorSlices.format(featureShape())
        + ", int32 "
        + TensorSlices.format(labelShape())
        + ")>";
  }
}
