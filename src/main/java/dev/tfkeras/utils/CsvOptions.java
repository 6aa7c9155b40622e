package dev.tfkeras.utils;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Options of {@link Utils#csvDataset(java.nio.file.Path, CsvOptions)}, with the names and defaults
 * of {@code tf.data.experimental.make_csv_dataset} (pandas' {@code read_csv} names in brackets):
 * a header line (header), types inferred from the first 100 rows unless given (dtype), missing
 * values where a field equals {@link #naValue} (na_values), quoted fields, selected columns
 * (usecols), label columns, a delimiter (sep), batches of 32, a shuffle of 10,000 rows and, as
 * tf.data, repetition until {@link #numEpochs} passes (forever by default: {@code numEpochs(1)}
 * for {@code fit(dataset, epochs)}). Fluent setters return this.
 *
 * <pre>{@code
 * Dataset train = Utils.csvDataset(Path.of("heart.csv"),
 *     new CsvOptions().labelName("target").numEpochs(1).shuffleSeed(42));
 * }</pre>
 */
public final class CsvOptions {

  /** The column types {@link #columnType} takes, as tf.data names them. */
  public static final List<String> TYPES = List.of("int32", "int64", "float32", "float64", "string");

  List<String> columnNames;
  boolean header = true;
  final Map<String, String> columnTypes = new LinkedHashMap<>();
  final Map<String, Object> columnDefaults = new LinkedHashMap<>();
  String naValue = "";
  List<String> selectColumns;
  List<String> labelNames = List.of();
  char fieldDelim = ',';
  boolean useQuoteDelim = true;
  Integer batchSize = 32;
  boolean shuffle = true;
  int shuffleBufferSize = 10_000;
  Long shuffleSeed;
  Integer numEpochs;
  int numRowsForInference = 100;

  /**
   * The columns' names, in file order ({@code column_names}); required without a header line. With
   * a header, the header line is skipped and these names are used instead of it.
   */
  public CsvOptions columnNames(String... names) {
    this.columnNames = List.of(names);
    return this;
  }

  /** Whether the first line holds the column names (default true). */
  public CsvOptions header(boolean header) {
    this.header = header;
    return this;
  }

  /**
   * The type of column {@code name}: {@code "int32"}, {@code "int64"}, {@code "float32"}, {@code
   * "float64"} or {@code "string"}; other columns' types are inferred. A value that does not parse
   * as the type is an error naming the file and line. A missing value in a typed column is an
   * error unless {@link #columnDefault} gives one.
   *
   * @throws IllegalArgumentException for another type
   */
  public CsvOptions columnType(String name, String type) {
    Objects.requireNonNull(name, "name");
    if (!TYPES.contains(type)) {
      throw new IllegalArgumentException(
          "Unknown column type for column '" + name + "': expected one of " + TYPES + ", received: "
              + type);
    }
    columnTypes.put(name, type);
    return this;
  }

  /**
   * The value of column {@code name} where a field is missing ({@code column_defaults}): an {@code
   * Integer}, {@code Long}, {@code Float}, {@code Double} or {@code String}, which also gives the
   * column's type (int32, int64, float32, float64, string) unless {@link #columnType} sets it.
   * Inferred columns default to 0 or "", as tf.data's inferred defaults.
   */
  public CsvOptions columnDefault(String name, Object value) {
    Objects.requireNonNull(name, "name");
    if (!(value instanceof Integer || value instanceof Long || value instanceof Float
        || value instanceof Double || value instanceof String)) {
      throw new IllegalArgumentException(
          "The default of column '" + name + "' must be an Integer, Long, Float, Double or String,"
              + " received: " + (value == null ? "null" : value.getClass().getSimpleName()));
    }
    columnDefaults.put(name, value);
    return this;
  }

  /** The text that marks a missing value ({@code na_value}, default the empty field). */
  public CsvOptions naValue(String naValue) {
    this.naValue = Objects.requireNonNull(naValue, "naValue");
    return this;
  }

  /** Reads only these columns ({@code select_columns}), the label columns included. */
  public CsvOptions selectColumns(String... names) {
    this.selectColumns = List.of(names);
    return this;
  }

  /**
   * The column, or columns, that are the targets ({@code label_name}); the others are the inputs.
   * Without one the dataset has inputs only, for {@code predict}.
   */
  public CsvOptions labelName(String... names) {
    this.labelNames = new ArrayList<>(List.of(names));
    return this;
  }

  /** The character between fields ({@code field_delim}, default ','). */
  public CsvOptions fieldDelim(char fieldDelim) {
    this.fieldDelim = fieldDelim;
    return this;
  }

  /**
   * Whether double quotes enclose fields ({@code use_quote_delim}, default true), so that a quoted
   * field may hold the delimiter, line breaks and doubled quotes ({@code ""}).
   */
  public CsvOptions useQuoteDelim(boolean useQuoteDelim) {
    this.useQuoteDelim = useQuoteDelim;
    return this;
  }

  /** Rows per batch (default 32), or null for a dataset of single rows. */
  public CsvOptions batchSize(Integer batchSize) {
    if (batchSize != null && batchSize <= 0) {
      throw new IllegalArgumentException(
          "batchSize must be a positive integer or null for single rows, received: batchSize=" + batchSize);
    }
    this.batchSize = batchSize;
    return this;
  }

  /** Whether to shuffle the rows (default true), again on every pass. */
  public CsvOptions shuffle(boolean shuffle) {
    this.shuffle = shuffle;
    return this;
  }

  /** Rows held by the shuffle ({@code shuffle_buffer_size}, default 10,000). */
  public CsvOptions shuffleBufferSize(int size) {
    if (size <= 0) {
      throw new IllegalArgumentException("shuffleBufferSize must be a positive integer, received: " + size);
    }
    this.shuffleBufferSize = size;
    return this;
  }

  /** The shuffle's seed ({@code shuffle_seed}), for the same orders in every run. */
  public CsvOptions shuffleSeed(long seed) {
    this.shuffleSeed = seed;
    return this;
  }

  /**
   * Passes over the file the dataset yields ({@code num_epochs}); null (the default, as tf.data)
   * repeats forever, which {@code fit} needs {@code stepsPerEpoch} for.
   */
  public CsvOptions numEpochs(Integer numEpochs) {
    if (numEpochs != null && numEpochs <= 0) {
      throw new IllegalArgumentException(
          "numEpochs must be a positive integer or null to repeat forever, received: " + numEpochs);
    }
    this.numEpochs = numEpochs;
    return this;
  }

  /** Rows read to infer the types of untyped columns ({@code num_rows_for_inference}, default 100). */
  public CsvOptions numRowsForInference(int rows) {
    if (rows <= 0) {
      throw new IllegalArgumentException("numRowsForInference must be a positive integer, received: " + rows);
    }
    this.numRowsForInference = rows;
    return this;
  }
}
