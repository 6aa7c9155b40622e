package dev.tfkeras.utils;

import dev.tfkeras.data.Dataset;
import dev.tfkeras.data.Example;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import org.tensorflow.ndarray.IntNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.index.Indices;

/**
 * Keras's {@code timeseries_dataset_from_array}: a dataset of the start positions of the windows,
 * mapped to windows on the host as each batch is gathered, so that no window is copied before it
 * is read; the series itself is kept once.
 */
final class TimeseriesDatasets {

  private TimeseriesDatasets() {}

  static Dataset fromArray(
      Object data,
      Object targets,
      int sequenceLength,
      int sequenceStride,
      int samplingRate,
      Integer batchSize,
      boolean shuffle,
      Long seed,
      Integer startIndex,
      Integer endIndex) {
    NdArray<?> series = HostArrays.asNdArray(data, "data");
    NdArray<?> labels = targets == null ? null : HostArrays.asNdArray(targets, "targets");
    long length = series.shape().get(0);
    if (startIndex != null && startIndex != 0) {
      if (startIndex < 0) {
        throw new IllegalArgumentException(
            "`start_index` must be 0 or greater. Received: start_index=" + startIndex);
      }
      if (startIndex >= length) {
        throw new IllegalArgumentException(
            "`start_index` must be lower than the length of the data. Received: start_index="
                + startIndex + ", for data of length " + length);
      }
    }
    if (endIndex != null && endIndex != 0) {
      if (startIndex != null && startIndex != 0 && endIndex <= startIndex) {
        throw new IllegalArgumentException(
            "`end_index` must be higher than `start_index`. Received: start_index=" + startIndex
                + ", and end_index=" + endIndex + " ");
      }
      if (endIndex >= length) {
        throw new IllegalArgumentException(
            "`end_index` must be lower than the length of the data. Received: end_index=" + endIndex
                + ", for data of length " + length);
      }
      if (endIndex <= 0) {
        throw new IllegalArgumentException(
            "`end_index` must be higher than 0. Received: end_index=" + endIndex);
      }
    }
    if (samplingRate <= 0) {
      throw new IllegalArgumentException(
          "`sampling_rate` must be higher than 0. Received: sampling_rate=" + samplingRate);
    }
    if (samplingRate >= length) {
      throw new IllegalArgumentException(
          "`sampling_rate` must be lower than the length of the data. Received: sampling_rate="
              + samplingRate + ", for data of length " + length);
    }
    if (sequenceStride <= 0) {
      throw new IllegalArgumentException(
          "`sequence_stride` must be higher than 0. Received: sequence_stride=" + sequenceStride);
    }
    if (sequenceStride >= length) {
      throw new IllegalArgumentException(
          "`sequence_stride` must be lower than the length of the data. Received: sequence_stride="
              + sequenceStride + ", for data of length " + length);
    }
    if (sequenceLength <= 0) {
      throw new IllegalArgumentException(
          "`sequence_length` must be higher than 0. Received: sequence_length=" + sequenceLength);
    }
    if (batchSize != null && batchSize <= 0) {
      throw new IllegalArgumentException(
          "`batch_size` must be a positive integer, or null for a dataset of single windows."
              + " Received: batch_size=" + batchSize);
    }
    long start = startIndex == null ? 0 : startIndex;
    long end = endIndex == null ? length : endIndex;
    long sequences = end - start - (long) (sequenceLength - 1) * samplingRate;
    if (labels != null) {
      sequences = Math.min(sequences, labels.shape().get(0));
    }
    if (sequences <= 0) {
      throw new IllegalArgumentException(
          "No window fits: a sequence of sequence_length=" + sequenceLength + " steps sampled every "
              + samplingRate + " spans " + ((long) (sequenceLength - 1) * samplingRate + 1)
              + " steps, but the data from start_index=" + start + " to end_index=" + end + " has "
              + (end - start) + (labels == null ? "" : " (and targets " + labels.shape().get(0) + ")")
              + ". Use a shorter sequence or more data.");
    }
    if (sequences > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("Too many windows for one dataset: " + sequences);
    }
    int[] positions = new int[(int) ((sequences + sequenceStride - 1) / sequenceStride)];
    for (int i = 0; i < positions.length; i++) {
      positions[i] = i * sequenceStride;
    }
    long shuffleSeed = seed != null ? seed : ThreadLocalRandom.current().nextLong(1_000_000);
    if (shuffle) {
      Random random = new Random(shuffleSeed);
      for (int i = positions.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int swap = positions[i];
        positions[i] = positions[j];
        positions[j] = swap;
      }
    }
    Dataset windows = Dataset.fromTensorSlices(positions);
    if (shuffle) {
      windows = windows.shuffle(batchSize != null ? batchSize * 8 : 1024, shuffleSeed);
    }
    long span = (long) sequenceLength * samplingRate;
    windows =
        windows.map(
            e -> {
              long first = start + ((IntNdArray) e.features()).getInt();
              NdArray<?> window = series.slice(Indices.slice(first, first + span, samplingRate));
              if (labels == null) {
                return Example.of(List.of(window), List.of(), null);
              }
              return Example.of(window, labels.slice(Indices.at(first)));
            });
    return batchSize == null ? windows : windows.batch(batchSize);
  }
}
