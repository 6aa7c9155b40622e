package dev.tfkeras.data;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.ndarray.Shape;

/**
 * The examples of a dataset as columns: its inputs, its targets (none for inference data) and
 * optionally per-example sample weights, all with the same number of elements. Immutable.
 */
final class Slices {

  private final List<Column> columns;
  private final int featureCount;
  private final int labelCount;
  private final boolean weighted;
  /** Whether these are the rows of a generator's chunk, which a shuffle copies rather than keeps. */
  private final boolean chunk;

  Slices(List<Column> features, List<Column> labels, Column sampleWeights) {
    this(features, labels, sampleWeights, false);
  }

  private Slices(List<Column> features, List<Column> labels, Column sampleWeights, boolean chunk) {
    this.chunk = chunk;
    this.featureCount = features.size();
    this.labelCount = labels.size();
    this.weighted = sampleWeights != null;
    List<Column> all = new ArrayList<>(features);
    all.addAll(labels);
    if (weighted) {
      all.add(sampleWeights);
    }
    this.columns = List.copyOf(all);
  }

  /**
   * Copies {@code x}, {@code y} and {@code sampleWeight} after checking them: each an array (see
   * {@link Column#copyOf}) or, for several inputs or targets, a {@link List} of arrays; {@code y}
   * and {@code sampleWeight} may be null. Every array must have the same first dimension.
   */
  static Slices copyOf(Object x, Object y, Object sampleWeight) {
    Slices slices = copyOfAllowingEmpty(x, y, sampleWeight);
    slices.requireExamples();
    return slices;
  }

  /** Like {@link #copyOf} without the check for at least one example, left to the caller. */
  static Slices copyOfAllowingEmpty(Object x, Object y, Object sampleWeight) {
    List<Column> features = columns(x, "x");
    if (features.isEmpty()) {
      throw new IllegalArgumentException("x must hold at least one array, received an empty list.");
    }
    List<Column> labels = y == null ? List.of() : columns(y, "y");
    Column weights = sampleWeight == null ? null : Column.copyOf(sampleWeight, "sampleWeight");
    if (weights != null && labels.isEmpty()) {
      throw new IllegalArgumentException(
          "sampleWeight was given without targets y; weights apply to the loss, which needs y.");
    }
    Slices slices = new Slices(features, labels, weights);
    slices.requireSameCount();
    return slices;
  }

  /** Shares {@code x} and {@code y}, flat arrays of the given shapes (see {@link Column#wrap}). */
  static Slices wrap(Shape xShape, Object x, Shape yShape, Object y) {
    Slices slices =
        new Slices(List.of(Column.wrap(xShape, x, "x")), List.of(Column.wrap(yShape, y, "y")), null);
    slices.requireSameCount();
    slices.requireExamples();
    return slices;
  }

  private static List<Column> columns(Object arrays, String what) {
    if (arrays instanceof List<?> list) {
      List<Column> columns = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        columns.add(Column.copyOf(list.get(i), what + "[" + i + "]"));
      }
      return columns;
    }
    return List.of(Column.copyOf(arrays, what));
  }

  private void requireSameCount() {
    int count = columns.get(0).count();
    for (int c = 0; c < columns.size(); c++) {
      if (columns.get(c).count() != count) {
        throw new IllegalArgumentException(
            "Data cardinality is ambiguous: " + name(0) + " has " + count + " examples but "
                + name(c) + " has " + columns.get(c).count()
                + ". Make sure all arrays contain the same number of samples (the first axis).");
      }
    }
  }

  private void requireExamples() {
    if (count() == 0) {
      throw new IllegalArgumentException(
          "The data must hold at least one example, received " + name(0) + " of shape "
              + Column.format(columns.get(0).elementShape().prepend(0)) + ".");
    }
  }

  /** How messages name column {@code c}: {@code x}, {@code x[1]}, {@code y}, {@code sampleWeight}. */
  String name(int c) {
    if (c < featureCount) {
      return featureCount == 1 ? "x" : "x[" + c + "]";
    }
    if (c < featureCount + labelCount) {
      return labelCount == 1 ? "y" : "y[" + (c - featureCount) + "]";
    }
    return "sampleWeight";
  }

  List<Column> columns() {
    return columns;
  }

  int featureCount() {
    return featureCount;
  }

  int labelCount() {
    return labelCount;
  }

  boolean weighted() {
    return weighted;
  }

  /** Number of examples. */
  int count() {
    return columns.get(0).count();
  }

  /** Whether {@code other} has the same structure and, column by column, dtypes and shapes. */
  boolean sameSpec(Slices other) {
    if (featureCount != other.featureCount || labelCount != other.labelCount
        || weighted != other.weighted) {
      return false;
    }
    for (int c = 0; c < columns.size(); c++) {
      if (!columns.get(c).sameSpec(other.columns.get(c))) {
        return false;
      }
    }
    return true;
  }

  /** Whether an input (not a target or the weights) is stored as uint8. */
  boolean hasUint8Feature() {
    for (int c = 0; c < featureCount; c++) {
      if (columns.get(c).type() == HostType.UINT8) {
        return true;
      }
    }
    return false;
  }

  /**
   * These slices with every uint8 input presented as float32 by {@code table} (see {@link
   * Column#asFloat32}); the arrays are shared, not copied.
   */
  Slices uint8FeaturesAsFloat32(float[] table) {
    List<Column> features = new ArrayList<>(featureCount);
    for (int c = 0; c < featureCount; c++) {
      Column column = columns.get(c);
      features.add(column.type() == HostType.UINT8 ? column.asFloat32(table) : column);
    }
    return new Slices(
        features,
        columns.subList(featureCount, featureCount + labelCount),
        weighted ? columns.get(columns.size() - 1) : null);
  }

  /** These slices with inputs {@code indices} of these, in that order; the columns are shared. */
  Slices selectFeatures(int[] indices) {
    List<Column> features = new ArrayList<>(indices.length);
    for (int index : indices) {
      features.add(columns.get(index));
    }
    return new Slices(
        features,
        columns.subList(featureCount, featureCount + labelCount),
        weighted ? columns.get(columns.size() - 1) : null);
  }

  /** Example {@code index} as read-only views. */
  Example example(int index) {
    List<org.tensorflow.ndarray.NdArray<?>> views = new ArrayList<>(columns.size());
    for (Column column : columns) {
      views.add(column.element(index));
    }
    return new Example(
        views.subList(0, featureCount),
        views.subList(featureCount, featureCount + labelCount),
        weighted ? views.get(columns.size() - 1) : null);
  }

  /** A one-example slices holding a copy of {@code example}, e.g. a map function's result. */
  static Slices ofExample(Example example) {
    List<Column> features = new ArrayList<>();
    for (int i = 0; i < example.featureCount(); i++) {
      features.add(Column.ofElement(example.features(i), "features(" + i + ")"));
    }
    List<Column> labels = new ArrayList<>();
    for (int i = 0; i < example.labelCount(); i++) {
      labels.add(Column.ofElement(example.labels(i), "labels(" + i + ")"));
    }
    Column weights =
        example.hasSampleWeight() ? Column.ofElement(example.sampleWeight(), "sampleWeight()") : null;
    return new Slices(features, labels, weights);
  }

  /**
   * Slices holding a copy of the rows of {@code chunk}, whose every array has a leading axis of the
   * chunk's rows (a generator's chunk, {@code index} counting them for messages).
   */
  static Slices ofChunk(Example chunk, long index) {
    String what = "chunk " + index + " ";
    List<Column> features = new ArrayList<>();
    for (int i = 0; i < chunk.featureCount(); i++) {
      features.add(Column.copyOf(chunk.features(i), what + "features(" + i + ")"));
    }
    List<Column> labels = new ArrayList<>();
    for (int i = 0; i < chunk.labelCount(); i++) {
      labels.add(Column.copyOf(chunk.labels(i), what + "labels(" + i + ")"));
    }
    Column weights = chunk.hasSampleWeight()
        ? Column.copyOf(chunk.sampleWeight(), what + "sampleWeight()") : null;
    Slices slices = new Slices(features, labels, weights, true);
    int rows = slices.count();
    for (Column column : slices.columns) {
      if (column.count() != rows) {
        throw new IllegalArgumentException(
            "The arrays of " + what.strip() + " have different first dimensions (" + slices.columns.stream()
                .map(c -> Integer.toString(c.count())).toList() + "); each array of a chunk must"
                + " hold one slice per row of the chunk.");
      }
    }
    return slices;
  }

  /** Whether these are the rows of a generator's chunk (see {@link Dataset#fromChunkGenerator}). */
  boolean isChunk() {
    return chunk;
  }

  /** New slices of {@code rows} zeroed rows with the structure, dtypes and shapes of {@code spec}'s. */
  static Slices allocate(Slices spec, int rows) {
    List<Column> columns = new ArrayList<>(spec.columns.size());
    for (Column column : spec.columns) {
      columns.add(Column.allocate(column.type(), column.elementShape(), rows));
    }
    return new Slices(
        columns.subList(0, spec.featureCount),
        columns.subList(spec.featureCount, spec.featureCount + spec.labelCount),
        spec.weighted ? columns.get(columns.size() - 1) : null);
  }

  /** Copies row {@code index} into row {@code row} of {@code target}, slices of this spec (or these). */
  void copyRow(int index, Slices target, int row) {
    for (int c = 0; c < columns.size(); c++) {
      columns.get(c).copyElement(index, target.columns.get(c), row);
    }
  }

  /** TensorFlow's element spec text: {@code (TensorSpec(...), TensorSpec(...))}. */
  String spec(boolean batched, long batchSize) {
    List<String> parts = new ArrayList<>();
    parts.add(group(0, featureCount, batched, batchSize));
    if (labelCount > 0) {
      parts.add(group(featureCount, featureCount + labelCount, batched, batchSize));
    }
    if (weighted) {
      parts.add(columns.get(columns.size() - 1).spec(batched, batchSize));
    }
    return parts.size() == 1 ? parts.get(0) : "(" + String.join(", ", parts) + ")";
  }

  private String group(int from, int to, boolean batched, long batchSize) {
    List<String> specs = new ArrayList<>();
    for (int c = from; c < to; c++) {
      specs.add(columns.get(c).spec(batched, batchSize));
    }
    return specs.size() == 1 ? specs.get(0) : "(" + String.join(", ", specs) + ")";
  }
}
