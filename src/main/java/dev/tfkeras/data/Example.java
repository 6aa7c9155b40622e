package dev.tfkeras.data;

import java.util.List;
import java.util.Objects;
import org.tensorflow.ndarray.NdArray;

/**
 * One example of a {@link Dataset} on the host, as {@link Dataset#map} sees and returns it: its
 * inputs (features), its targets (labels; none for inference data) and an optional sample weight,
 * each an {@link NdArray} of the example's own shape (no batch axis).
 *
 * <pre>{@code
 * Dataset scaled = raw.map(e -> Example.of(scale((ByteNdArray) e.features()), e.labels()));
 * }</pre>
 *
 * <p>The arrays an example hands to a map function are read-only views of the dataset's storage.
 */
public final class Example {

  private final List<NdArray<?>> features;
  private final List<NdArray<?>> labels;
  private final NdArray<?> sampleWeight;

  Example(List<NdArray<?>> features, List<NdArray<?>> labels, NdArray<?> sampleWeight) {
    this.features = List.copyOf(features);
    this.labels = List.copyOf(labels);
    this.sampleWeight = sampleWeight;
  }

  /** An example with one input and one target. */
  public static Example of(NdArray<?> features, NdArray<?> labels) {
    return new Example(List.of(features), List.of(labels), null);
  }

  /** An example with one input, one target and a sample weight (a scalar array). */
  public static Example of(NdArray<?> features, NdArray<?> labels, NdArray<?> sampleWeight) {
    return new Example(List.of(features), List.of(labels), Objects.requireNonNull(sampleWeight, "sampleWeight"));
  }

  /**
   * An example with any number of inputs and targets (empty for inference data) and an optional
   * (nullable) sample weight.
   */
  public static Example of(List<? extends NdArray<?>> features, List<? extends NdArray<?>> labels, NdArray<?> sampleWeight) {
    if (features.isEmpty()) {
      throw new IllegalArgumentException("An example needs at least one input, received none.");
    }
    return new Example(List.copyOf(features), List.copyOf(labels), sampleWeight);
  }

  /** The only input. @throws IllegalStateException if the example has several */
  public NdArray<?> features() {
    if (features.size() != 1) {
      throw new IllegalStateException(
          "This example has " + features.size() + " inputs; use features(i) or featureCount().");
    }
    return features.get(0);
  }

  /** Input {@code i}. */
  public NdArray<?> features(int i) {
    return features.get(i);
  }

  public int featureCount() {
    return features.size();
  }

  /** The only target. @throws IllegalStateException if the example has none or several */
  public NdArray<?> labels() {
    if (labels.size() != 1) {
      throw new IllegalStateException(
          "This example has " + labels.size() + " targets; use labels(i) or labelCount().");
    }
    return labels.get(0);
  }

  /** Target {@code i}. */
  public NdArray<?> labels(int i) {
    return labels.get(i);
  }

  public int labelCount() {
    return labels.size();
  }

  /** The sample weight, or null if the example has none. */
  public NdArray<?> sampleWeight() {
    return sampleWeight;
  }

  public boolean hasSampleWeight() {
    return sampleWeight != null;
  }

  @Override
  public String toString() {
    return "Example(features=" + features.stream().map(a -> a.shape().toString()).toList()
        + ", labels=" + labels.stream().map(a -> a.shape().toString()).toList()
        + (sampleWeight == null ? "" : ", sampleWeight") + ")";
  }
}
