package dev.tfkeras.data;

import java.util.List;
import org.tensorflow.types.family.TType;

/**
 * One element of a {@link Dataset}: its inputs (features), its targets (labels; none for inference
 * data) and optional sample weights, as tensors of their real dtypes, owned by whoever received the
 * batch, who must close it ({@code for (Batch b : ds) try (b) { ... }}); closing frees them all.
 *
 * <p>For a batched dataset every tensor has a leading batch axis of {@link #size()} rows; for an
 * unbatched dataset they hold a single example in its own shape.
 */
public final class Batch implements AutoCloseable {

  private final List<TType> tensors;
  private final int featureCount;
  private final int labelCount;
  private final boolean weighted;
  private final int size;
  private boolean closed;

  Batch(List<TType> tensors, int featureCount, int labelCount, boolean weighted, int size) {
    this.tensors = List.copyOf(tensors);
    this.featureCount = featureCount;
    this.labelCount = labelCount;
    this.weighted = weighted;
    this.size = size;
  }

  /**
   * The only input tensor, e.g. a {@code TFloat32} of images.
   *
   * @throws IllegalStateException if the dataset has several inputs (use {@link #features(int)})
   */
  public TType features() {
    checkOpen("features()");
    if (featureCount != 1) {
      throw new IllegalStateException(
          "This batch has " + featureCount + " inputs; use features(i) for input i.");
    }
    return tensors.get(0);
  }

  /**
   * The only input tensor, checked to be of {@code type}.
   *
   * @throws IllegalStateException if its dtype is another, naming both
   */
  public <T extends TType> T features(Class<T> type) {
    return typed(features(), type, "features");
  }

  /** Input tensor {@code i}. */
  public TType features(int i) {
    checkOpen("features(" + i + ")");
    return tensors.get(checkIndex(i, featureCount, "input"));
  }

  /** Number of input tensors. */
  public int featureCount() {
    return featureCount;
  }

  /**
   * The only target tensor, e.g. {@code TInt32} class indices.
   *
   * @throws IllegalStateException if the dataset has no targets or several
   */
  public TType labels() {
    checkOpen("labels()");
    if (labelCount != 1) {
      throw new IllegalStateException(
          "This batch has " + labelCount + " targets; "
              + (labelCount == 0 ? "it was made without y." : "use labels(i) for target i."));
    }
    return tensors.get(featureCount);
  }

  /** The only target tensor, checked to be of {@code type}. */
  public <T extends TType> T labels(Class<T> type) {
    return typed(labels(), type, "labels");
  }

  /** Target tensor {@code i}. */
  public TType labels(int i) {
    checkOpen("labels(" + i + ")");
    return tensors.get(featureCount + checkIndex(i, labelCount, "target"));
  }

  /** Number of target tensors (0 for inference data). */
  public int labelCount() {
    return labelCount;
  }

  /** The per-example sample weights, or null if the dataset has none. */
  public TType sampleWeights() {
    checkOpen("sampleWeights()");
    return weighted ? tensors.get(tensors.size() - 1) : null;
  }

  /** Whether the dataset carries sample weights. */
  public boolean hasSampleWeights() {
    return weighted;
  }

  /** Every tensor in order: inputs, targets, then sample weights; for a traced step's call. */
  public TType[] tensors() {
    checkOpen("tensors()");
    return tensors.toArray(new TType[0]);
  }

  /** Number of rows (dataset elements) in this batch. */
  public int size() {
    return size;
  }

  /** Releases every tensor's native memory; calling it again does nothing. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      RuntimeException failure = null;
      for (TType tensor : tensors) {
        try {
          tensor.close();
        } catch (RuntimeException e) {
          failure = failure == null ? e : failure;
        }
      }
      if (failure != null) {
        throw failure;
      }
    }
  }

  private static <T extends TType> T typed(TType tensor, Class<T> type, String what) {
    if (!type.isInstance(tensor)) {
      throw new IllegalStateException(
          "The batch's " + what + " are " + tensor.type().getSimpleName() + " of shape "
              + tensor.shape() + ", not " + type.getSimpleName() + ".");
    }
    return type.cast(tensor);
  }

  private static int checkIndex(int i, int count, String what) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException(
          "No " + what + " " + i + ": this batch has " + count + " " + what + "(s).");
    }
    return i;
  }

  private void checkOpen(String accessor) {
    if (closed) {
      throw new IllegalStateException(
          "this batch was closed, so its tensors were released; call " + accessor + " before close()");
    }
  }

  @Override
  public String toString() {
    return closed
        ? "Batch(closed)"
        : "Batch(size=" + size + ", tensors="
            + tensors.stream().map(t -> t.type().getSimpleName() + t.shape()).toList() + ")";
  }
}
