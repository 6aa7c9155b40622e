package dev.tfkeras.utils;

import dev.tfkeras.data.Dataset;
import dev.tfkeras.data.Example;
import java.io.IOException;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Keras's structured-data input, {@code tf.data.experimental.make_csv_dataset}: a CSV file parsed
 * by Apache Commons CSV into one named input per column (and targets for the label columns),
 * streamed: every pass reads the file again, {@link #CHUNK_ROWS} records at a time parsed straight
 * into typed column arrays ({@link Dataset#fromChunkGenerator}), so that memory is the shuffle
 * buffer (copies of its rows), not the file, and a record costs no objects of its own beyond what
 * the parser makes.
 *
 * <p>The file is read once here: its header, the first rows to infer types, then every record
 * checked as a pass will parse it, so that a bad row fails here, naming the file and line, rather
 * than in the middle of training.
 */
final class CsvDatasets {

  private CsvDatasets() {}

  /** Records a pass parses at once into typed column arrays: one set of arrays per 64 records. */
  static final int CHUNK_ROWS = 64;

  /** tf.data's valid floats: decimal, with an exponent (Java's suffixes and hex refused). */
  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  /** A column's type and how a field parses into its one-value array. */
  enum Kind {
    INT32("int32"), INT64("int64"), FLOAT32("float32"), FLOAT64("float64"), STRING("string");

    final String label;

    Kind(String label) {
      this.label = label;
    }

    static Kind of(String label) {
      for (Kind kind : values()) {
        if (kind.label.equals(label)) {
          return kind;
        }
      }
      throw new IllegalArgumentException("unknown column type " + label);
    }

    /** The kind of a column default's Java value. */
    static Kind ofValue(Object value) {
      if (value instanceof Integer) return INT32;
      if (value instanceof Long) return INT64;
      if (value instanceof Float) return FLOAT32;
      if (value instanceof Double) return FLOAT64;
      return STRING;
    }

    /** The field as a value of this kind, or null if it does not parse as one. */
    Object parse(String field) {
      if (this == STRING) {
        return field;
      }
      String text = field.strip();
      try {
        return switch (this) {
          case INT32 -> Integer.parseInt(text);
          case INT64 -> Long.parseLong(text);
          case FLOAT32 -> {
            Double special = special(text);
            yield special != null ? Float.valueOf(special.floatValue()) : decimal(text) ? Float.parseFloat(text) : null;
          }
          case FLOAT64 -> {
            Double special = special(text);
            yield special != null ? special : decimal(text) ? Double.parseDouble(text) : null;
          }
          case STRING -> field;
        };
      } catch (NumberFormatException e) {
        return null;
      }
    }

    /** {@code value} (a default) converted to this kind's Java type, or null if it has no such value. */
    Object convert(Object value) {
      if (this == STRING) {
        return value instanceof String ? value : null;
      }
      if (!(value instanceof Number number)) {
        return parse((String) value);
      }
      return switch (this) {
        case INT32 -> value instanceof Integer ? value : null;
        case INT64 -> value instanceof Integer || value instanceof Long ? number.longValue() : null;
        case FLOAT32 -> number.floatValue();
        case FLOAT64 -> number.doubleValue();
        case STRING -> null;
      };
    }

    /** A chunk's column of this kind: a Java array of {@code rows} values. */
    Object newArray(int rows) {
      return switch (this) {
        case INT32 -> new int[rows];
        case INT64 -> new long[rows];
        case FLOAT32 -> new float[rows];
        case FLOAT64 -> new double[rows];
        case STRING -> new String[rows];
      };
    }

    /**
     * Parses {@code field} into {@code values[row]} as {@link #parse} does, without boxing; false
     * if it does not parse as this kind.
     */
    boolean store(String field, Object values, int row) {
      if (this == STRING) {
        ((String[]) values)[row] = field;
        return true;
      }
      String text = field.strip();
      try {
        switch (this) {
          case INT32 -> ((int[]) values)[row] = Integer.parseInt(text);
          case INT64 -> ((long[]) values)[row] = Long.parseLong(text);
          case FLOAT32, FLOAT64 -> {
            double value;
            if (decimal(text)) {
              value = this == FLOAT32 ? Float.parseFloat(text) : Double.parseDouble(text);
            } else {
              Double special = special(text);
              if (special == null) {
                return false;
              }
              value = special;
            }
            if (this == FLOAT32) {
              ((float[]) values)[row] = (float) value;
            } else {
              ((double[]) values)[row] = value;
            }
          }
          default -> throw new AssertionError(this);
        }
        return true;
      } catch (NumberFormatException e) {
        return false;
      }
    }

    /** Stores {@code value}, a value of this kind (a column's default), into {@code values[row]}. */
    void storeValue(Object value, Object values, int row) {
      switch (this) {
        case INT32 -> ((int[]) values)[row] = (Integer) value;
        case INT64 -> ((long[]) values)[row] = (Long) value;
        case FLOAT32 -> ((float[]) values)[row] = (Float) value;
        case FLOAT64 -> ((double[]) values)[row] = (Double) value;
        case STRING -> ((String[]) values)[row] = (String) value;
      }
    }

    /** The first {@code rows} values of a chunk's column as an array of shape (rows, 1). */
    NdArray<?> column(Object values, int rows) {
      Shape shape = Shape.of(rows, 1);
      return switch (this) {
        case INT32 -> NdArrays.wrap(shape, DataBuffers.of((int[]) values, true, false).narrow(rows));
        case INT64 -> NdArrays.wrap(shape, DataBuffers.of((long[]) values, true, false).narrow(rows));
        case FLOAT32 -> NdArrays.wrap(shape, DataBuffers.of((float[]) values, true, false).narrow(rows));
        case FLOAT64 -> NdArrays.wrap(shape, DataBuffers.of((double[]) values, true, false).narrow(rows));
        case STRING -> NdArrays.wrap(shape, DataBuffers.of((String[]) values, true, false).narrow(rows));
      };
    }

    /** tf.data's inference: the narrowest of int32, int64, float32, float64, string after {@code previous}. */
    static Kind infer(String field, Kind previous) {
      for (Kind kind : values()) {
        if (previous != null && kind.ordinal() < previous.ordinal()) {
          continue;
        }
        Object value = kind.parse(field);
        if (value != null && !(kind == FLOAT32 && Float.isInfinite((Float) value) && !isInfinityText(field))) {
          return kind;
        }
      }
      return STRING;
    }

    private static boolean isInfinityText(String field) {
      Double special = special(field.strip());
      return special != null && special.isInfinite();
    }

    /** A decimal number as tf.data reads one: the common case checked by hand, the rest by pattern. */
    private static boolean decimal(String text) {
      int n = text.length();
      if (n == 0) {
        return false;
      }
      boolean digits = false;
      for (int i = 0; i < n; i++) {
        char c = text.charAt(i);
        if (c >= '0' && c <= '9') {
          digits = true;
        } else if (!(c == '.' || (i == 0 && (c == '-' || c == '+')))) {
          return DECIMAL.matcher(text).matches(); // an exponent, or not a number
        }
      }
      return digits && text.indexOf('.') == text.lastIndexOf('.');
    }

    /** inf, infinity or nan in any case with an optional sign, as tf.data accepts them; else null. */
    private static Double special(String text) {
      int n = text.length();
      if (n < 3 || n > 9) {
        return null;
      }
      char first = text.charAt(0);
      char letter = first == '-' || first == '+' ? text.charAt(1) : first;
      if (letter != 'i' && letter != 'I' && letter != 'n' && letter != 'N') {
        return null;
      }
      boolean negative = first == '-';
      String body = (first == '-' || first == '+' ? text.substring(1) : text).toLowerCase(Locale.ROOT);
      return switch (body) {
        case "inf", "infinity" -> negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        case "nan" -> Double.NaN;
        default -> null;
      };
    }
  }

  /** A selected column: its index in the file, name, kind and default (null: required). */
  private record Column(int index, String name, Kind kind, Object fallback) {}

  /** What every pass needs to read the file. */
  private record Table(Path path, CSVFormat format, boolean skipFirst, int width, List<String> names,
      List<Column> features, List<Column> labels, String naValue) {}

  static Dataset read(Path path, CsvOptions options) throws IOException {
    if (!Files.isRegularFile(path)) {
      throw new IOException("CSV file not found: " + path + " (expected a readable file).");
    }
    CSVFormat format = CSVFormat.DEFAULT.builder()
        .setDelimiter(options.fieldDelim)
        .setQuote(options.useQuoteDelim ? Character.valueOf('"') : null)
        .setIgnoreEmptyLines(true)
        .get();
    List<String> names = columnNames(path, format, options);
    Table table = table(path, format, names, options);
    long rows = validate(table);
    Dataset dataset = Dataset.fromChunkGenerator(() -> new Records(table), rows)
        .withFeatureNames(table.features().stream().map(Column::name).toList());
    if (options.shuffle) {
      long seed = options.shuffleSeed != null ? options.shuffleSeed : ThreadLocalRandom.current().nextLong();
      dataset = dataset.shuffle(options.shuffleBufferSize, seed);
    }
    if (options.numEpochs == null) {
      dataset = dataset.repeat();
    } else if (options.numEpochs > 1) {
      dataset = dataset.repeat(options.numEpochs);
    }
    if (options.batchSize != null) {
      dataset = dataset.batch(options.batchSize);
    }
    return dataset.prefetch(Dataset.AUTOTUNE);
  }

  /** The header's names, or the given ones (checked against the header's width). */
  private static List<String> columnNames(Path path, CSVFormat format, CsvOptions options) throws IOException {
    if (!options.header && options.columnNames == null) {
      throw new IllegalArgumentException(
          "A CSV file without a header line needs its column names: pass columnNames(...) for "
              + path + ".");
    }
    List<String> names;
    try (Records records = new Records(path, format)) {
      if (!records.hasNextRecord(records.parser.iterator())) {
        throw new IllegalArgumentException(
            "CSV file " + path + " is empty: expected " + (options.header ? "a header line with the"
                + " column names and " : "") + "rows of comma-separated values.");
      }
      CSVRecord first = records.parser.iterator().next();
      names = options.columnNames != null ? options.columnNames : first.toList();
      if (options.columnNames != null && first.size() != names.size()) {
        throw new IllegalArgumentException(
            path + " line 1 has " + first.size() + " fields but " + names.size() + " column names"
                + " were given " + names + "; give one name per column.");
      }
    }
    if (new HashSet<>(names).size() != names.size() || names.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException(
          "Column names must be distinct and non-empty, received " + names + " (" + path + ").");
    }
    return names;
  }

  private static Table table(Path path, CSVFormat format, List<String> names, CsvOptions options) throws IOException {
    List<String> selected = options.selectColumns != null ? options.selectColumns : names;
    for (String name : selected) {
      requireColumn(name, "Selected", names, path);
    }
    for (String label : options.labelNames) {
      requireColumn(label, "Label", names, path);
      if (!selected.contains(label)) {
        throw new IllegalArgumentException(
            "Label column '" + label + "' is not among the selected columns " + selected
                + "; select it too.");
      }
    }
    for (String name : options.columnTypes.keySet()) {
      requireColumn(name, "Typed", names, path);
    }
    for (String name : options.columnDefaults.keySet()) {
      requireColumn(name, "Defaulted", names, path);
    }
    Kind[] inferred = inferKinds(path, format, names, options);
    List<Column> features = new ArrayList<>();
    List<Column> labels = new ArrayList<>();
    for (int index = 0; index < names.size(); index++) {
      String name = names.get(index);
      if (!selected.contains(name)) {
        continue;
      }
      Column column = column(index, name, inferred[index], options);
      if (!options.labelNames.contains(name)) {
        features.add(column);
      }
    }
    for (String label : options.labelNames) {
      int index = names.indexOf(label);
      labels.add(column(index, label, inferred[index], options));
    }
    if (features.isEmpty()) {
      throw new IllegalArgumentException(
          "No input columns are left in " + path + ": the selected columns " + selected
              + " are all labels " + options.labelNames + ".");
    }
    return new Table(path, format, options.header, names.size(), names, features, labels, options.naValue);
  }

  private static Column column(int index, String name, Kind inferred, CsvOptions options) {
    Object given = options.columnDefaults.get(name);
    Kind kind = options.columnTypes.containsKey(name)
        ? Kind.of(options.columnTypes.get(name))
        : given != null ? Kind.ofValue(given) : inferred;
    if (given != null) {
      Object fallback = kind.convert(given);
      if (fallback == null) {
        throw new IllegalArgumentException(
            "The default of column '" + name + "' is " + given + " (" + given.getClass().getSimpleName()
                + "), which is not a " + kind.label + " value; give a default of the column's type.");
      }
      return new Column(index, name, kind, fallback);
    }
    if (options.columnTypes.containsKey(name)) {
      return new Column(index, name, kind, null); // given a type and no default: required, as tf.data
    }
    return new Column(index, name, kind, kind == Kind.STRING ? "" : kind.convert(0)); // tf.data: 0 or ""
  }

  private static void requireColumn(String name, String what, List<String> names, Path path) {
    if (!names.contains(name)) {
      throw new IllegalArgumentException(
          what + " column '" + name + "' not found in " + path + ", whose columns are " + names
              + "; use one of these names.");
    }
  }

  /** The inferred kind of every column from the first rows (null where every field is missing: string). */
  private static Kind[] inferKinds(Path path, CSVFormat format, List<String> names, CsvOptions options)
      throws IOException {
    Kind[] kinds = new Kind[names.size()];
    try (Records records = new Records(path, format)) {
      Iterator<CSVRecord> it = records.parser.iterator();
      if (options.header) {
        it.next();
      }
      for (int row = 0; row < options.numRowsForInference && records.hasNextRecord(it); row++) {
        CSVRecord record = it.next();
        requireWidth(record, names, path, records.parser.getCurrentLineNumber());
        for (int c = 0; c < kinds.length; c++) {
          String field = record.get(c);
          if (!field.equals(options.naValue)) {
            kinds[c] = Kind.infer(field, kinds[c]);
          }
        }
      }
    }
    for (int c = 0; c < kinds.length; c++) {
      kinds[c] = kinds[c] == null ? Kind.STRING : kinds[c];
    }
    return kinds;
  }

  /** Reads every record as a pass would and returns their number. */
  private static long validate(Table table) {
    long rows = 0;
    try (Records records = new Records(table)) {
      while (records.hasNext()) {
        rows += records.next().features(0).shape().get(0);
      }
    }
    if (rows == 0) {
      throw new IllegalArgumentException(
          "CSV file " + table.path() + " has a header but no rows of values: expected at least one"
              + " record after the header line.");
    }
    return rows;
  }

  private static void requireWidth(CSVRecord record, List<String> names, Path path, long line) {
    if (record.size() != names.size()) {
      throw new IllegalArgumentException(
          path + " line " + line + ": expected " + names.size() + " fields (the columns " + names
              + "), received " + record.size() + " (" + record.toList() + "). A field that holds the"
              + " delimiter must be quoted; fix the row or the file's delimiter (fieldDelim).");
    }
  }

  /**
   * One pass over the file's records, parsed {@link #CHUNK_ROWS} at a time into a chunk of typed
   * column arrays (an example of shape (rows, 1) per column, for {@link
   * Dataset#fromChunkGenerator}); closing it closes the file.
   */
  private static final class Records implements Iterator<Example>, AutoCloseable {
    private final Table table;
    private final Path path;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;

    /** A raw pass, for reading the header and inferring types. */
    Records(Path path, CSVFormat format) throws IOException {
      this.table = null;
      this.path = path;
      this.parser = open(path, format);
      this.records = null;
    }

    Records(Table table) {
      this.table = table;
      this.path = table.path();
      try {
        this.parser = open(table.path(), table.format());
      } catch (IOException e) {
        throw new UncheckedIOException(e.getMessage(), e);
      }
      this.records = parser.iterator();
      if (table.skipFirst() && hasNextRecord(records)) {
        records.next();
      }
    }

    private static CSVParser open(Path path, CSVFormat format) throws IOException {
      InputStream bytes = new BufferedInputStream(Files.newInputStream(path));
      Reader reader = new InputStreamReader(bytes, StandardCharsets.UTF_8.newDecoder()); // malformed: reported
      try {
        bytes.mark(3);
        byte[] head = bytes.readNBytes(3);
        if (!(head.length == 3 && head[0] == (byte) 0xEF && head[1] == (byte) 0xBB && head[2] == (byte) 0xBF)) {
          bytes.reset(); // no byte-order mark (which spreadsheets write, and which is not data)
        }
        return CSVParser.parse(reader, format);
      } catch (IOException | RuntimeException e) {
        reader.close();
        throw e;
      }
    }

    /** {@code it.hasNext()} with a read failure (bad UTF-8, I/O) reported naming the file and line. */
    boolean hasNextRecord(Iterator<CSVRecord> it) {
      try {
        return it.hasNext();
      } catch (UncheckedIOException e) {
        String what = e.getCause() instanceof CharacterCodingException ? "is not valid UTF-8" : "could not be read";
        throw new UncheckedIOException(
            path + " " + what + " after line " + parser.getCurrentLineNumber()
                + ": " + e.getCause().getMessage(), e.getCause());
      }
    }

    @Override
    public boolean hasNext() {
      return hasNextRecord(records);
    }

    /** The next chunk: up to {@link #CHUNK_ROWS} records, each checked and parsed in file order. */
    @Override
    public Example next() {
      if (!hasNext()) {
        throw new NoSuchElementException("all records of " + table.path() + " were read");
      }
      List<Column> features = table.features();
      List<Column> labels = table.labels();
      Object[] featureValues = new Object[features.size()];
      Object[] labelValues = new Object[labels.size()];
      for (int c = 0; c < featureValues.length; c++) {
        featureValues[c] = features.get(c).kind().newArray(CHUNK_ROWS);
      }
      for (int c = 0; c < labelValues.length; c++) {
        labelValues[c] = labels.get(c).kind().newArray(CHUNK_ROWS);
      }
      int rows = 0;
      do {
        CSVRecord record = records.next();
        long line = parser.getCurrentLineNumber();
        requireWidth(record, table.names(), table.path(), line);
        store(record, features, featureValues, rows, line);
        store(record, labels, labelValues, rows, line);
        rows++;
      } while (rows < CHUNK_ROWS && hasNext());
      return Example.of(columns(features, featureValues, rows), columns(labels, labelValues, rows), null);
    }

    /** Parses the record's fields of {@code columns} into row {@code row} of their arrays. */
    private void store(CSVRecord record, List<Column> columns, Object[] values, int row, long line) {
      for (int c = 0; c < values.length; c++) {
        Column column = columns.get(c);
        String field = record.get(column.index());
        if (field.equals(table.naValue())) {
          if (column.fallback() == null) {
            throw new IllegalArgumentException(
                table.path() + " line " + line + ": column '" + column.name() + "' (" + column.kind().label
                    + ") is missing a value and has no default; give one with columnDefault(\""
                    + column.name() + "\", ...) or fix the row.");
          }
          column.kind().storeValue(column.fallback(), values[c], row);
        } else if (!column.kind().store(field, values[c], row)) {
          throw new IllegalArgumentException(
              table.path() + " line " + line + ": column '" + column.name() + "' expects "
                  + column.kind().label + " values, received '" + field + "'. Fix the value, or read"
                  + " the column as text with columnType(\"" + column.name() + "\", \"string\").");
        }
      }
    }

    private static List<NdArray<?>> columns(List<Column> columns, Object[] values, int rows) {
      List<NdArray<?>> arrays = new ArrayList<>(values.length);
      for (int c = 0; c < values.length; c++) {
        arrays.add(columns.get(c).kind().column(values[c], rows));
      }
      return arrays;
    }

    @Override
    public void close() {
      try {
        parser.close();
      } catch (IOException e) {
        // a file opened for reading: nothing written could be lost
      }
    }
  }
}
