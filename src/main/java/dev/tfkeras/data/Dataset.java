package dev.tfkeras.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.tensorflow.ndarray.Shape;

/**
 * An immutable input pipeline over in-memory examples, the Java counterpart of {@code
 * tf.data.Dataset.from_tensor_slices((x, y)).shuffle(10000).batch(32)}.
 *
 * <p>An example is one or more inputs (features), zero or more targets (labels) and an optional
 * sample weight, each an array of any numeric dtype (float32, float64, int32, int64, uint8),
 * bool or string (Java {@code String}s, batched as {@code TString}), of any shape. Inputs may
 * be named ({@link #withFeatureNames}), as Keras's dict of features. Each transformation returns
 * a new dataset and leaves this one unchanged.
 * Iterating yields {@link Batch}es whose tensors the caller closes:
 *
 * <pre>{@code
 * Dataset train = Dataset.fromTensorSlices(xTrain, yTrain).shuffle(10000).batch(32).prefetch(2);
 * for (Batch batch : train) {
 *   try (batch) {
 *     step.call(batch.features(), batch.labels());
 *   }
 * }
 * }</pre>
 *
 * <p>Unbatched datasets iterate example by example: each {@link Batch} then holds one example
 * without a leading batch axis. Batching twice is not supported.
 *
 * <p>Data larger than memory streams from disk: {@link #fromNpyFiles(Path, Path)} reads the rows
 * of {@code .npy} files a chunk at a time on every pass, so that memory is the shuffle buffer and
 * a chunk per file, not the files:
 *
 * <pre>{@code
 * Dataset train = Dataset.fromNpyFiles(Path.of("x_train.npy"), Path.of("y_train.npy"))
 *     .map(scale).shuffle(10000).batch(32).prefetch(2);
 * }</pre>
 */
public final class Dataset implements Iterable<Batch> {

  /** Pass to {@link #prefetch(int)} to let the dataset choose the prefetch buffer size. */
  public static final int AUTOTUNE = -1;

  /** What {@link #cardinality()} returns for a dataset that repeats forever. */
  public static final long INFINITE_CARDINALITY = Stage.INFINITE;

  /** The buffer size {@link #AUTOTUNE} stands for: one batch in use, two being prepared. */
  static final int AUTOTUNE_BUFFER = 2;

  private final Stage stage;
  private final boolean batched;
  private final long batchDimension;
  private final int prefetch;
  private final List<String> classNames;
  /** The inputs' names in order (Keras's dict of features), or empty when they are unnamed. */
  private final List<String> featureNames;
  private final AtomicLong passes = new AtomicLong();

  private Dataset(Stage stage, boolean batched, long batchDimension, int prefetch) {
    this(stage, batched, batchDimension, prefetch, null, List.of());
  }

  private Dataset(
      Stage stage, boolean batched, long batchDimension, int prefetch, List<String> classNames,
      List<String> featureNames) {
    this.stage = stage;
    this.batched = batched;
    this.batchDimension = batchDimension;
    this.prefetch = prefetch;
    this.classNames = classNames;
    this.featureNames = featureNames;
  }

  /**
   * A dataset of inputs only (for {@code predict}): the slices of {@code x} along its first axis.
   *
   * @param x an {@code NdArray} (a tensor included), a Java array such as {@code float[][]}, or a
   *     {@code List} of them for a model with several inputs
   */
  public static Dataset fromTensorSlices(Object x) {
    return of(Slices.copyOf(x, null, null));
  }

  /**
   * A dataset whose examples are the slices of {@code x} and {@code y} along their first axis
   * ({@code tf.data.Dataset.from_tensor_slices((x, y))}). Every array is copied once, so later
   * changes to it do not affect the dataset.
   *
   * @param x inputs: an {@code NdArray} (a tensor included), a Java array ({@code float[][]},
   *     {@code int[]}, {@code byte[][]} read as uint8, {@code boolean[]}...), or a {@code List} of
   *     them for several inputs
   * @param y targets, in the same forms; a {@code List} for several targets
   * @throws IllegalArgumentException if an array is of an unsupported type, ragged, or the first
   *     dimensions differ, or the data is empty
   */
  public static Dataset fromTensorSlices(Object x, Object y) {
    return of(Slices.copyOf(x, requireTargets(y), null));
  }

  /**
   * Like {@link #fromTensorSlices(Object, Object)} with a per-example weight of each example's loss
   * and metrics ({@code (x, y, sample_weight)} in Keras), shape (N) or (N, ...).
   */
  public static Dataset fromTensorSlices(Object x, Object y, Object sampleWeight) {
    if (sampleWeight == null) {
      throw new IllegalArgumentException(
          "sampleWeight must not be null; without weights use fromTensorSlices(x, y).");
    }
    return of(Slices.copyOf(x, requireTargets(y), sampleWeight));
  }

  /**
   * A dataset of inputs only (for {@code predict}) streamed from a NumPy {@code .npy} file, as
   * {@link #fromNpyFiles(Path, Path)} streams inputs and targets.
   *
   * @throws IOException naming the file if it cannot be read or is not a supported array
   */
  public static Dataset fromNpyFiles(Path x) throws IOException {
    return fromNpyFiles(Arrays.asList(x), List.of(), null);
  }

  /**
   * A dataset whose examples are the rows of the NumPy {@code .npy} files {@code x} and {@code y}
   * (slices along the first axis, as {@link #fromTensorSlices(Object, Object)} takes them from
   * arrays), read from disk on every pass instead of held in memory, so that memory stays flat
   * however large the files are: the data for {@code np.save("x.npy", x)} written by numpy or by
   * {@link dev.tfkeras.io.NpyHeader#write}.
   *
   * <p>Files must be in C order with dtype uint8 ({@code |u1}), bool ({@code |b1}), int32, int64,
   * float32 or float64 (either byte order), each row of at most 2 GiB. Only the headers are read
   * here; a pass opens the files, reads rows in chunks of about 256 KiB with positional reads, and
   * closes them when it ends, fails or its iterator is closed. A file changed or truncated while a
   * pass reads it fails that pass with an {@link java.io.UncheckedIOException} naming the file
   * (checked by size and modification time); a file replaced between passes must hold the same
   * dtype and shape. Every stage works as on {@link #fromTensorSlices}: {@code shuffle(n)} keeps n
   * examples in memory (copies, never the chunks they came from), not the file.
   *
   * @throws IOException naming the file if a file cannot be read, is truncated, or is not a
   *     supported array (bad header, dtype, Fortran order)
   * @throws IllegalArgumentException if the files' first dimensions differ, naming both files
   */
  public static Dataset fromNpyFiles(Path x, Path y) throws IOException {
    return fromNpyFiles(Arrays.asList(x), Arrays.asList(requireTargetFile(y)), null);
  }

  /**
   * Like {@link #fromNpyFiles(Path, Path)} with a file of per-example weights of each example's
   * loss and metrics, shape (N) or (N, ...).
   */
  public static Dataset fromNpyFiles(Path x, Path y, Path sampleWeight) throws IOException {
    if (sampleWeight == null) {
      throw new IllegalArgumentException(
          "sampleWeight must not be null; without weights use fromNpyFiles(x, y).");
    }
    return fromNpyFiles(Arrays.asList(x), Arrays.asList(requireTargetFile(y)), sampleWeight);
  }

  /**
   * Like {@link #fromNpyFiles(Path, Path)} for a model with several inputs or targets: one file
   * per input, one per target ({@code y} empty for inference data) and an optional (nullable)
   * file of sample weights.
   */
  public static Dataset fromNpyFiles(List<Path> x, List<Path> y, Path sampleWeight)
      throws IOException {
    return fromNpyFiles(x, y, sampleWeight, NpyStage.CHUNK_BYTES);
  }

  /** {@link #fromNpyFiles(List, List, Path)} reading {@code chunkBytes} at a time (for tests). */
  static Dataset fromNpyFiles(List<Path> x, List<Path> y, Path sampleWeight, int chunkBytes)
      throws IOException {
    Objects.requireNonNull(x, "x");
    Objects.requireNonNull(y, "y");
    return new Dataset(NpyStage.open(x, y, sampleWeight, chunkBytes), false, Shape.UNKNOWN_SIZE, 0);
  }

  private static Path requireTargetFile(Path y) {
    if (y == null) {
      throw new IllegalArgumentException(
          "y must not be null; for inputs without targets use fromNpyFiles(x).");
    }
    return y;
  }

  private static Object requireTargets(Object y) {
    if (y == null) {
      throw new IllegalArgumentException(
          "y must not be null; for inputs without targets use fromTensorSlices(x).");
    }
    return y;
  }

  /**
   * A dataset over {@code x} and {@code y} that shares the arrays instead of copying them, for data
   * too large to hold twice, such as images read from a file as bytes (the way {@code
   * NdArrays.wrap(shape, DataBuffers.of(array, true, false))} wraps an array). The arrays must not be
   * changed while the dataset is in use; {@link #fromTensorSlices(Object, Object)} takes a private
   * copy instead.
   *
   * <pre>{@code
   * byte[] pixels = ...; // n images of 28x28 pixels, row-major
   * Dataset train = Dataset.wrapSlices(Shape.of(n, 28, 28, 1), pixels, Shape.of(n), labels)
   *     .uint8ToFloat32(255f).shuffle(10_000).batch(32);
   * }</pre>
   *
   * @param xShape the shape of the inputs, first axis the examples
   * @param x the inputs in row-major order: a flat array of float, double, int, long, byte (read as
   *     uint8) or boolean of {@code xShape.size()} values
   * @param yShape the shape of the targets, with the same first dimension
   * @param y the targets, a flat array as {@code x}
   * @throws IllegalArgumentException if an array is not a flat primitive array, does not hold the
   *     number of values its shape describes, or the first dimensions differ or are 0
   */
  public static Dataset wrapSlices(Shape xShape, Object x, Shape yShape, Object y) {
    return of(Slices.wrap(xShape, x, yShape, y));
  }

  static Dataset of(Slices slices) {
    return new Dataset(new SliceStage(slices), false, Shape.UNKNOWN_SIZE, 0);
  }

  /**
   * A dataset whose examples a Java generator yields, as {@code tf.data.Dataset.from_generator}:
   * {@code generator} is called once per pass and returns an iterator over that pass's examples,
   * read on the thread that runs the pipeline (the prefetch thread, if any). An iterator that is
   * also {@link AutoCloseable} (e.g. one holding a file open) is closed when its pass ends, fails
   * or is closed early. Every example must have the structure, dtypes and shapes of the first one,
   * which is read once more when the element spec is first needed.
   *
   * <pre>{@code
   * Dataset rows = Dataset.fromGenerator(() -> readRecords(file), recordCount);
   * }</pre>
   *
   * @param cardinality the exact number of examples every pass yields; a pass that yields another
   *     number fails with an {@link IllegalStateException} saying both
   * @throws IllegalArgumentException if {@code cardinality} is not positive
   */
  public static Dataset fromGenerator(Callable<? extends Iterator<Example>> generator, long cardinality) {
    Objects.requireNonNull(generator, "generator");
    if (cardinality <= 0) {
      throw new IllegalArgumentException(
          "cardinality must be the positive number of examples of every pass, received: cardinality="
              + cardinality);
    }
    return new Dataset(new GeneratorStage(generator, cardinality, false), false, Shape.UNKNOWN_SIZE, 0);
  }

  /**
   * A dataset whose examples are the rows of the chunks a Java generator yields, as tf.data's
   * {@code from_generator(chunks).unbatch()}: each {@link Example} the generator returns is a chunk
   * whose every array has a leading axis of the chunk's rows (the same number for all of them), and
   * the dataset's examples are its slices along that axis, in order. For sources read a block of
   * records at a time, such as a file of rows ({@code Utils.csvDataset}): a chunk is copied once
   * into the dataset's columns, so a pass allocates per chunk rather than per row. Chunks may differ
   * in length (an empty one is skipped); otherwise as {@link #fromGenerator}: called
   * once per pass, on the pipeline's thread, closed when the pass ends if {@link AutoCloseable},
   * every chunk of the first one's structure, dtypes and row shapes.
   *
   * <p>A {@link #shuffle} copies each row of a chunk into its buffer (and a drawn row into a small
   * block of rows in the order drawn), so that a chunk is garbage once its rows are read: a
   * shuffled pass holds the buffer's rows, not the chunks they came from.
   *
   * <pre>{@code
   * Dataset rows = Dataset.fromChunkGenerator(() -> readBlocksOf64Records(file), recordCount);
   * }</pre>
   *
   * @param cardinality the exact number of rows (examples) every pass yields, over all chunks; a
   *     pass that yields another number fails with an {@link IllegalStateException} saying both
   * @throws IllegalArgumentException if {@code cardinality} is not positive
   */
  public static Dataset fromChunkGenerator(Callable<? extends Iterator<Example>> generator, long cardinality) {
    Objects.requireNonNull(generator, "generator");
    if (cardinality <= 0) {
      throw new IllegalArgumentException(
          "cardinality must be the positive number of rows of every pass, received: cardinality="
              + cardinality);
    }
    return new Dataset(new GeneratorStage(generator, cardinality, true), false, Shape.UNKNOWN_SIZE, 0);
  }

  private Dataset with(Stage next) {
    return new Dataset(next, batched, batchDimension, prefetch, classNames, featureNames);
  }

  /**
   * This dataset with its inputs named, in order, as Keras's dict of features ({@code
   * make_csv_dataset}'s columns): {@code fit}, {@code evaluate} and {@code predict} then give each
   * input of a model with named inputs ({@code Input(...).name("age")}) the feature of its name,
   * whatever the order of the features; {@link #selectFeatures} picks some of them by name.
   *
   * @throws IllegalArgumentException unless there is one distinct, non-empty name per input
   */
  public Dataset withFeatureNames(List<String> names) {
    Objects.requireNonNull(names, "names");
    if (names.size() != featureCount()) {
      throw new IllegalArgumentException(
          "Expected one name per input: this dataset has " + featureCount() + " inputs, received "
              + names.size() + " names " + names + ".");
    }
    if (names.stream().anyMatch(n -> n == null || n.isEmpty()) || names.stream().distinct().count() != names.size()) {
      throw new IllegalArgumentException(
          "Feature names must be distinct and non-empty, received " + names + ".");
    }
    return new Dataset(stage, batched, batchDimension, prefetch, classNames, List.copyOf(names));
  }

  /** The names of the inputs in order (see {@link #withFeatureNames}), empty when they are unnamed. */
  public List<String> featureNames() {
    return featureNames;
  }

  /**
   * A dataset whose inputs are this dataset's features of the given names, in that order (targets
   * and sample weights unchanged): the order a model's named inputs take, or a subset of the
   * columns of a table.
   *
   * @throws IllegalStateException if this dataset's features have no names
   * @throws IllegalArgumentException naming an unknown name and the names there are
   */
  public Dataset selectFeatures(List<String> names) {
    Objects.requireNonNull(names, "names");
    if (featureNames.isEmpty()) {
      throw new IllegalStateException(
          "This dataset's inputs have no names, so none can be selected by name; name them with"
              + " withFeatureNames(...) first.");
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException("Select at least one feature, received no names.");
    }
    int[] indices = new int[names.size()];
    for (int i = 0; i < indices.length; i++) {
      indices[i] = featureNames.indexOf(names.get(i));
      if (indices[i] < 0) {
        throw new IllegalArgumentException(
            "Unknown feature '" + names.get(i) + "'. The dataset's features are " + featureNames
                + "; select among these names.");
      }
    }
    if (names.equals(featureNames)) {
      return this;
    }
    return new Dataset(new SelectStage(stage, indices), batched, batchDimension, prefetch, classNames, List.copyOf(names));
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
    return shuffle(bufferSize, seed, true);
  }

  /**
   * Like {@link #shuffle(int, long)}; with {@code reshuffleEachIteration} false every pass has the
   * same order (tf.data's {@code reshuffle_each_iteration=False}), e.g. for a fixed random split.
   *
   * @throws IllegalArgumentException if {@code bufferSize <= 0}
   */
  public Dataset shuffle(int bufferSize, long seed, boolean reshuffleEachIteration) {
    if (bufferSize <= 0) {
      throw new IllegalArgumentException(
          "shuffle buffer size must be a positive integer, received: bufferSize=" + bufferSize);
    }
    return with(new ShuffleStage(stage, bufferSize, seed, reshuffleEachIteration));
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
        new BatchStage(stage, batchSize, dropRemainder), true, dimension, prefetch, classNames, featureNames);
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
    return with(new TakeStage(stage, count));
  }

  /**
   * All but the first {@code count} elements of this dataset (batches, if it is batched).
   *
   * @throws IllegalArgumentException if {@code count < 0}
   */
  public Dataset skip(long count) {
    if (count < 0) {
      throw new IllegalArgumentException(
          "skip count must be zero or a positive integer, received: count=" + count);
    }
    return with(new SkipStage(stage, count));
  }

  /**
   * One shard of {@code numShards}, like {@code tf.data.Dataset.shard}: the elements whose index i
   * has {@code i % numShards == index} (batches, if it is batched). Each worker of a cluster reads
   * its own shard: {@code dataset.shard(numWorkers, workerIndex)}; shard before shuffling and
   * batching so that the workers see disjoint examples.
   *
   * @throws IllegalArgumentException if {@code numShards} is not positive or {@code index} is not
   *     in {@code [0, numShards)}
   */
  public Dataset shard(long numShards, long index) {
    checkShard(numShards, index);
    return with(new ShardStage(stage, numShards, index));
  }

  private static void checkShard(long numShards, long index) {
    if (numShards <= 0) {
      throw new IllegalArgumentException(
          "numShards must be greater than zero, received: numShards=" + numShards);
    }
    if (index < 0 || index >= numShards) {
      throw new IllegalArgumentException(
          "index must be between 0 and numShards - 1 (" + (numShards - 1) + "), received: index="
              + index);
    }
  }

  /**
   * Part {@code index} of every batch split into {@code numShards} consecutive parts, the share of
   * each global batch that one of {@code numShards} replicas trains on, as tf.distribute's {@code
   * experimental_distribute_dataset} splits a dataset batched with the global batch size: with
   * {@code batch(64)} and 2 workers, each worker gets 32 rows of every batch, and together the
   * workers train on exactly the batches one process would. Parts differ by at most one row (the
   * first {@code rows % numShards} are larger); every worker gets the same number of batches, so
   * none waits at the end of an epoch for a step the others never run.
   *
   * @throws IllegalArgumentException if {@code numShards} is not positive or {@code index} is not
   *     in {@code [0, numShards)}
   * @throws IllegalStateException if this dataset is not batched; while reading, if a batch has
   *     fewer rows than {@code numShards} (batch with {@code dropRemainder} to avoid it)
   */
  public Dataset shardBatches(int numShards, int index) {
    checkShard(numShards, index);
    if (!batched) {
      throw new IllegalStateException(
          "shardBatches splits batches, and this dataset is not batched: batch it with the global"
              + " batch size first, e.g. dataset.batch(64).shardBatches(2, workerIndex).");
    }
    BatchPartStage part = new BatchPartStage(stage, numShards, index);
    long dimension =
        batchDimension == Shape.UNKNOWN_SIZE ? Shape.UNKNOWN_SIZE : part.partSize((int) batchDimension);
    return new Dataset(part, true, dimension, prefetch, classNames, featureNames);
  }

  /** This dataset repeated forever; {@link #cardinality()} becomes {@link #INFINITE_CARDINALITY}. */
  public Dataset repeat() {
    return with(new RepeatStage(stage, RepeatStage.FOREVER));
  }

  /**
   * This dataset repeated {@code count} times; a shuffle before it reshuffles every repetition.
   *
   * @throws IllegalArgumentException if {@code count < 0}
   */
  public Dataset repeat(long count) {
    if (count < 0) {
      throw new IllegalArgumentException(
          "repeat count must be zero or a positive integer (repeat() repeats forever), received: count="
              + count);
    }
    return with(new RepeatStage(stage, count));
  }

  /**
   * The elements of this dataset followed by those of {@code other}, which must have the same
   * structure, dtypes and element shapes, and be batched alike.
   *
   * @throws IllegalArgumentException if the two datasets' elements differ
   */
  public Dataset concatenate(Dataset other) {
    Objects.requireNonNull(other, "other");
    if (!featureNames.equals(other.featureNames)) {
      throw new IllegalArgumentException(
          "Only datasets with the same feature names can be concatenated, received "
              + featureNames + " and " + other.featureNames + ".");
    }
    if (batched != other.batched || !stage.spec().sameSpec(other.stage.spec())) {
      throw new IllegalArgumentException(
          "Only datasets with the same element structure, dtypes and shapes can be concatenated,"
              + " received " + elementSpec() + " and " + other.elementSpec() + ".");
    }
    long dimension = batchDimension == other.batchDimension ? batchDimension : Shape.UNKNOWN_SIZE;
    List<String> names = Objects.equals(classNames, other.classNames) ? classNames : null;
    return new Dataset(new ConcatenateStage(stage, other.stage), batched, dimension, prefetch, names, featureNames);
  }

  /**
   * Applies {@code function} to every example on the host, on the thread that runs the pipeline
   * (the prefetch thread when {@link #prefetch} is set), e.g. to scale, augment or re-encode.
   * Every result must have the structure, dtypes and shapes of the first one; the function is run
   * once more on the first example when the element spec is first needed. A dataset with {@link
   * #featureNames} keeps them: the function must keep the inputs' number and order.
   *
   * @throws IllegalStateException if this dataset is batched: map examples, then batch
   */
  public Dataset map(UnaryOperator<Example> function) {
    Objects.requireNonNull(function, "function");
    if (batched) {
      throw new IllegalStateException(
          "map applies a Java function to single examples, and this dataset is batched; call map"
              + " before batch, e.g. fromTensorSlices(x, y).map(f).batch(32).");
    }
    return with(new MapStage(stage, function));
  }

  /**
   * Like {@link #map(UnaryOperator)} with the function run on {@code numParallelCalls} threads at
   * once, as tf.data's {@code map(f, num_parallel_calls=n)}: for functions that read or decode
   * files, so that a pass uses several cores. Results keep the input order; at most {@code 2 ×
   * numParallelCalls} examples are mapped ahead. The function must be thread-safe. The threads
   * belong to the pass and stop when it ends, fails or is closed.
   *
   * @param numParallelCalls threads, or {@link #AUTOTUNE} for one per available processor
   * @throws IllegalArgumentException if {@code numParallelCalls} is neither positive nor AUTOTUNE
   * @throws IllegalStateException if this dataset is batched: map examples, then batch
   */
  public Dataset map(UnaryOperator<Example> function, int numParallelCalls) {
    Objects.requireNonNull(function, "function");
    if (numParallelCalls <= 0 && numParallelCalls != AUTOTUNE) {
      throw new IllegalArgumentException(
          "numParallelCalls must be a positive integer or Dataset.AUTOTUNE, received: numParallelCalls="
              + numParallelCalls);
    }
    if (batched) {
      throw new IllegalStateException(
          "map applies a Java function to single examples, and this dataset is batched; call map"
              + " before batch, e.g. fromTensorSlices(x, y).map(f, 4).batch(32).");
    }
    int threads =
        numParallelCalls == AUTOTUNE ? Runtime.getRuntime().availableProcessors() : numParallelCalls;
    return with(
        threads == 1 ? new MapStage(stage, function) : new ParallelMapStage(stage, function, threads));
  }

  /**
   * Yields every uint8 input as float32 divided by {@code divisor}, as NumPy's {@code
   * x.astype("float32") / divisor} or tf.data's {@code map(lambda x, y: (tf.cast(x, tf.float32) /
   * divisor, y))}: {@code uint8ToFloat32(255f)} turns image bytes into [0, 1]. The inputs stay uint8
   * in memory, a quarter of float32, and are converted row by row as each batch is gathered (on the
   * prefetch thread, if any), with no per-example {@link #map} function. Targets and sample weights
   * keep their dtype; a {@link #map} after this sees float32 inputs. Values equal {@code (b & 0xFF)
   * / divisor} in float arithmetic, bit for bit.
   *
   * @throws IllegalArgumentException if {@code divisor} is not a positive finite number
   * @throws IllegalStateException if no input of this dataset is uint8
   */
  public Dataset uint8ToFloat32(float divisor) {
    if (!(divisor > 0f) || Float.isInfinite(divisor)) {
      throw new IllegalArgumentException(
          "divisor must be a positive finite number, e.g. 255 for pixels in [0, 1], received: divisor="
              + divisor);
    }
    if (!stage.spec().hasUint8Feature()) {
      throw new IllegalStateException(
          "uint8ToFloat32 converts uint8 inputs, and this dataset has none: " + elementSpec()
              + ". Apply it to a dataset made from byte arrays (read as uint8).");
    }
    return with(new Uint8ToFloat32Stage(stage, divisor));
  }

  /**
   * Keeps the elements of the first complete pass in memory and replays them on every later pass,
   * so that the stages before it (an expensive {@link #map}) run once. A shuffle placed after
   * {@code cache()} still reshuffles every epoch; one placed before it is frozen by it.
   *
   * @throws IllegalStateException if this dataset repeats forever
   */
  public Dataset cache() {
    if (stage.cardinality() == Stage.INFINITE) {
      throw new IllegalStateException(
          "cache() keeps a whole pass in memory, and this dataset repeats forever; call cache()"
              + " before repeat().");
    }
    return with(new CacheStage(stage));
  }

  /**
   * Prepares up to {@code bufferSize} elements ahead on a background daemon thread, so that
   * host-side shuffling, mapping and gathering overlap the consumer's work. Prefetching applies to
   * the whole pipeline wherever it is called (the last call wins) and never changes the order of
   * elements.
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
    return new Dataset(stage, batched, batchDimension, size, classNames, featureNames);
  }

  /**
   * Exact number of elements (batches, if batched) one iteration yields, or {@link
   * #INFINITE_CARDINALITY} if the dataset repeats forever.
   */
  public long cardinality() {
    return stage.cardinality();
  }

  /**
   * The names of the classes that the integer labels index, as Keras's {@code dataset.class_names}
   * attribute: set by {@code Utils.imageDatasetFromDirectory} and {@code textDatasetFromDirectory}
   * (the class folders' names), kept by every transformation; null when not set.
   */
  public List<String> classNames() {
    return classNames;
  }

  /**
   * This dataset with {@link #classNames()} set to {@code classNames} (null to clear them), as
   * Keras sets {@code dataset.class_names}; the elements are unchanged.
   */
  public Dataset withClassNames(List<String> classNames) {
    return new Dataset(
        stage, batched, batchDimension, prefetch, classNames == null ? null : List.copyOf(classNames),
        featureNames);
  }

  /** Whether {@link #batch(int)} was applied, so elements carry a leading batch axis. */
  public boolean isBatched() {
    return batched;
  }

  /** Number of inputs per example. */
  public int featureCount() {
    return stage.spec().featureCount();
  }

  /** Number of targets per example (0 for inference data). */
  public int labelCount() {
    return stage.spec().labelCount();
  }

  /** Whether examples carry a sample weight. */
  public boolean hasSampleWeights() {
    return stage.spec().weighted();
  }

  /** Shape of each element's only (or first) input; a batch axis of unknown size is -1. */
  public Shape featureShape() {
    return shapeOf(0);
  }

  /** Shape of each element's only (or first) target, as {@link #featureShape()}. */
  public Shape labelShape() {
    if (labelCount() == 0) {
      throw new IllegalStateException("This dataset has no targets: it was made without y.");
    }
    return shapeOf(featureCount());
  }

  private Shape shapeOf(int column) {
    Shape element = stage.spec().columns().get(column).elementShape();
    return batched ? element.prepend(batchDimension) : element;
  }

  /** TensorFlow's element spec, e.g. {@code (TensorSpec(shape=(None, 28, 28, 1), dtype=float32), ...)}. */
  public String elementSpec() {
    return stage.spec().spec(batched, batchDimension);
  }

  /**
   * Starts a new pass over the dataset (a new shuffle order, if shuffled): the k-th call of this
   * dataset object makes pass k. Close the iterator to stop a pass early; an abandoned iterator's
   * prefetch thread stops once it is garbage collected.
   */
  @Override
  public DatasetIterator iterator() {
    return iterator(passes.getAndIncrement());
  }

  /**
   * Starts pass {@code epoch}: a seeded shuffle orders it as the pass of that number always does,
   * whatever passes ran before (so a resumed {@code fit} sees the epochs an uninterrupted one would).
   */
  public DatasetIterator iterator(long epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must be zero or positive, received: " + epoch);
    }
    HostBatchSource source =
        prefetch > 0
            ? new PrefetchSource(stage.open(epoch), batched, prefetch)
            : new DirectSource(stage.open(epoch), batched);
    return new DatasetIterator(source);
  }

  @Override
  public String toString() {
    return "<Dataset element_spec=" + elementSpec()
        + (featureNames.isEmpty() ? "" : ", feature_names=" + featureNames) + ">";
  }
}
