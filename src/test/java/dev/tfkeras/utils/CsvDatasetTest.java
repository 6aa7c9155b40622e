package dev.tfkeras.utils;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.data.Batch;
import dev.tfkeras.data.Dataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * {@code Utils.csvDataset} against tf.data's {@code make_csv_dataset} semantics (inferred types
 * int32 → int64 → float32 → float64 → string, defaults 0 or "", label columns, select_columns,
 * shuffle with a seed, num_epochs) and RFC 4180 quoting, with errors naming the file and line.
 */
class CsvDatasetTest {

  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path path = dir.resolve(name);
    Files.writeString(path, text, StandardCharsets.UTF_8);
    return path;
  }

  /** One pass in file order, unshuffled, one row per batch element. */
  private static CsvOptions inOrder() {
    return new CsvOptions().shuffle(false).numEpochs(1);
  }

  private static List<Object> column(Dataset dataset, int feature) {
    List<Object> values = new ArrayList<>();
    for (Batch batch : dataset) {
      try (batch) {
        var tensor = feature >= 0 ? batch.features(feature) : batch.labels(-feature - 1);
        for (long r = 0; r < batch.size(); r++) {
          if (tensor instanceof TInt32 t) values.add(t.getInt(r, 0));
          else if (tensor instanceof TInt64 t) values.add(t.getLong(r, 0));
          else if (tensor instanceof TFloat32 t) values.add(t.getFloat(r, 0));
          else if (tensor instanceof TFloat64 t) values.add(t.getDouble(r, 0));
          else values.add(((TString) tensor).getObject(r, 0));
        }
      }
    }
    return values;
  }

  @Test
  void typesAreInferredAsTfDataInfersThemAndQuotedFieldsParse() throws IOException {
    Path csv = write("heart.csv", "age,fee,city,big,target\n"
        + "63,1.5,\"Paris, FR\",1,1\n"
        + "41,2,\"say \"\"hi\"\"\",3000000000,0\n"
        + "57,-0.25,\"two\nlines\",5,1\n");
    Dataset data = Utils.csvDataset(csv, inOrder().labelName("target").batchSize(2));
    assertEquals(List.of("age", "fee", "city", "big"), data.featureNames());
    assertEquals(2, data.cardinality());
    assertEquals("((TensorSpec(shape=(None, 1), dtype=int32), TensorSpec(shape=(None, 1), dtype=float32),"
        + " TensorSpec(shape=(None, 1), dtype=string), TensorSpec(shape=(None, 1), dtype=int64)),"
        + " TensorSpec(shape=(None, 1), dtype=int32))", data.elementSpec());
    assertEquals(List.of(63, 41, 57), column(data, 0));
    assertEquals(List.of(1.5f, 2f, -0.25f), column(data, 1));
    assertEquals(List.of("Paris, FR", "say \"hi\"", "two\nlines"), column(data, 2));
    assertEquals(List.of(1L, 3_000_000_000L, 5L), column(data, 3));
    assertEquals(List.of(1, 0, 1), column(data, -1));
  }

  @Test
  void floatsBeyondFloat32AreFloat64AndTextIsString() throws IOException {
    Path csv = write("t.csv", "a,b,c\n1e39,x,inf\n2,3,NaN\n");
    Dataset data = Utils.csvDataset(csv, inOrder().batchSize(3));
    assertTrue(data.elementSpec().contains("dtype=float64), TensorSpec(shape=(None, 1), dtype=string),"
        + " TensorSpec(shape=(None, 1), dtype=float32)"), data.elementSpec());
    assertEquals(List.of(1e39, 2.0), column(data, 0));
    assertEquals(List.of(Float.POSITIVE_INFINITY, Float.NaN), column(data, 2));
  }

  /** tf.data's float syntax: exponents, signs, inf and nan in any case; Java's 1f, hex and 1.2.3 are not numbers. */
  @Test
  void floatSyntaxIsTfDatas() throws IOException {
    Path ok = write("ok.csv", "v\n1e5\n-INF\n+.5\n7.\nnan\n");
    List<Object> values = column(Utils.csvDataset(ok, inOrder().batchSize(5)), 0);
    assertEquals(List.of(1e5f, Float.NEGATIVE_INFINITY, 0.5f, 7f, Float.NaN), values);
    for (String bad : new String[] {"1f", "0x1p3", "1.2.3", "e5", "-"}) {
      Path csv = write("bad.csv", "v\n" + bad + "\n");
      var e = assertThrows(IllegalArgumentException.class,
          () -> Utils.csvDataset(csv, inOrder().columnType("v", "float32")), bad);
      assertTrue(e.getMessage().contains("expects float32 values, received '" + bad + "'"), e.getMessage());
      assertTrue(Utils.csvDataset(csv, inOrder()).elementSpec().contains("string"), bad + " is inferred as text");
    }
  }

  /**
   * A table of many read chunks (a pass parses records a block at a time): every value, default and
   * string (quoted, non-ASCII) in file order, and the same shuffled order as the same rows given as
   * arrays to {@code Dataset.fromTensorSlices(...).shuffle(buffer, seed)}.
   */
  @Test
  void aLongTableStreamsEveryRowAsTheSameArraysWould() throws IOException {
    int rows = 333;
    String[] cities = {"Paris", "Lyon, FR", "Zürich", "say \"hi\""};
    StringBuilder text = new StringBuilder("n,x,city,y\n");
    int[] n = new int[rows];
    double[] x = new double[rows];
    String[] city = new String[rows];
    long[] y = new long[rows];
    for (int i = 0; i < rows; i++) {
      n[i] = i % 7 == 3 ? -1 : 5 * i - 40;
      x[i] = i * 0.125 - 3;
      city[i] = cities[i % cities.length];
      y[i] = 3_000_000_000L + i;
      text.append(i % 7 == 3 ? "" : Integer.toString(n[i])).append(',').append(x[i]).append(",\"")
          .append(city[i].replace("\"", "\"\"")).append("\",").append(y[i]).append('\n');
    }
    Path csv = write("long.csv", text.toString());
    CsvOptions options = inOrder().labelName("y").batchSize(32).columnDefault("n", -1).columnType("x", "float64");
    Dataset data = Utils.csvDataset(csv, options);
    assertEquals(11, data.cardinality());
    List<Object> ns = new ArrayList<>();
    List<Object> xs = new ArrayList<>();
    List<Object> cs = new ArrayList<>();
    List<Object> ys = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      ns.add(n[i]);
      xs.add(x[i]);
      cs.add(city[i]);
      ys.add(y[i]);
    }
    assertEquals(ns, column(data, 0));
    assertEquals(xs, column(data, 1));
    assertEquals(cs, column(data, 2));
    assertEquals(ys, column(data, -1));

    Dataset shuffled = Utils.csvDataset(csv, options.shuffle(true).shuffleBufferSize(100).shuffleSeed(11));
    int[][] n1 = new int[rows][];
    double[][] x1 = new double[rows][];
    String[][] c1 = new String[rows][];
    long[][] y1 = new long[rows][];
    for (int i = 0; i < rows; i++) {
      n1[i] = new int[] {n[i]};
      x1[i] = new double[] {x[i]};
      c1[i] = new String[] {city[i]};
      y1[i] = new long[] {y[i]};
    }
    Dataset arrays = Dataset.fromTensorSlices(List.of(n1, x1, c1), y1).shuffle(100, 11).batch(32);
    for (int c = -1; c < 3; c++) {
      assertEquals(column(arrays, c), column(shuffled, c), "column " + c);
    }
    assertNotEquals(ns, column(shuffled, 0));
  }

  @Test
  void missingValuesTakeDefaults() throws IOException {
    Path csv = write("m.csv", "a,b,c,d\n1,NA,x,2.5\nNA,4,NA,NA\n");
    Dataset data = Utils.csvDataset(csv, inOrder().naValue("NA").batchSize(2)
        .columnDefault("b", -1).columnDefault("d", 9.5f));
    assertEquals(List.of(1, 0), column(data, 0), "an inferred column defaults to 0, as tf.data");
    assertEquals(List.of(-1, 4), column(data, 1));
    assertEquals(List.of("x", ""), column(data, 2), "an inferred string column defaults to \"\"");
    assertEquals(List.of(2.5f, 9.5f), column(data, 3));
  }

  @Test
  void aTypedColumnWithoutDefaultRequiresItsValues() throws IOException {
    Path csv = write("req.csv", "a,b\n1,2\n3,\n");
    var e = assertThrows(IllegalArgumentException.class,
        () -> Utils.csvDataset(csv, inOrder().columnType("b", "float32")));
    assertEquals(csv + " line 3: column 'b' (float32) is missing a value and has no default; give one"
        + " with columnDefault(\"b\", ...) or fix the row.", e.getMessage());
  }

  @Test
  void givenTypesAndSelectedColumnsAndSeveralLabels() throws IOException {
    Path csv = write("s.csv", "x,skip,y1,z,y2\n1,q,0.5,7,3\n2,r,1.5,8,4\n");
    Dataset data = Utils.csvDataset(csv, inOrder().batchSize(2).selectColumns("z", "x", "y1", "y2")
        .columnType("x", "float64").columnType("z", "string").labelName("y2", "y1"));
    assertEquals(List.of("x", "z"), data.featureNames(), "features keep the file's order");
    assertEquals(2, data.labelCount());
    assertEquals(List.of(1.0, 2.0), column(data, 0));
    assertEquals(List.of("7", "8"), column(data, 1));
    assertEquals(List.of(3, 4), column(data, -1));
    assertEquals(List.of(0.5f, 1.5f), column(data, -2));
  }

  @Test
  void noHeaderTakesColumnNamesAndADelimiter() throws IOException {
    Path csv = write("n.tsv", "1;a\n2;b\n");
    Dataset data = Utils.csvDataset(csv, inOrder().header(false).columnNames("k", "v").fieldDelim(';')
        .batchSize(null));
    assertEquals(2, data.cardinality());
    assertEquals("(TensorSpec(shape=(1,), dtype=int32), TensorSpec(shape=(1,), dtype=string))", data.elementSpec());
    var e = assertThrows(IllegalArgumentException.class,
        () -> Utils.csvDataset(csv, inOrder().header(false)));
    assertTrue(e.getMessage().contains("needs its column names: pass columnNames(...)"), e.getMessage());
  }

  @Test
  void shuffleWithASeedIsReproducibleAndKeepsEveryRow() throws IOException {
    StringBuilder text = new StringBuilder("i\n");
    for (int i = 0; i < 100; i++) text.append(i).append('\n');
    Path csv = write("big.csv", text.toString());
    CsvOptions options = new CsvOptions().numEpochs(1).shuffleSeed(7).batchSize(10);
    List<Object> first = column(Utils.csvDataset(csv, options), 0);
    List<Object> again = column(Utils.csvDataset(csv, options), 0);
    assertEquals(first, again);
    List<Object> sorted = new ArrayList<>(first);
    sorted.sort(null);
    List<Object> expected = new ArrayList<>();
    for (int i = 0; i < 100; i++) expected.add(i);
    assertEquals(expected, sorted);
    assertNotEquals(expected, first, "shuffled");
  }

  @Test
  void numEpochsRepeatsAndTheDefaultRepeatsForever() throws IOException {
    Path csv = write("e.csv", "a\n1\n2\n3\n");
    assertEquals(3, Utils.csvDataset(csv, inOrder().numEpochs(2).batchSize(2)).cardinality());
    assertEquals(Dataset.INFINITE_CARDINALITY, Utils.csvDataset(csv).cardinality());
  }

  /** Every pass reads the file again (nothing is cached): a value rewritten between passes is seen. */
  @Test
  void passesStreamTheFile() throws IOException {
    Path csv = write("p.csv", "a\n1\n2\n");
    Dataset data = Utils.csvDataset(csv, inOrder().batchSize(2));
    assertEquals(List.of(1, 2), column(data, 0));
    Files.writeString(csv, "a\n5\n6\n");
    assertEquals(List.of(5, 6), column(data, 0));
  }

  @Test
  void rowsWithTooManyOrTooFewFieldsNameFileAndLine() throws IOException {
    Path many = write("many.csv", "a,b\n1,2\n3,4,5\n");
    var e = assertThrows(IllegalArgumentException.class, () -> Utils.csvDataset(many, inOrder()));
    assertEquals(many + " line 3: expected 2 fields (the columns [a, b]), received 3 ([3, 4, 5]). A field"
        + " that holds the delimiter must be quoted; fix the row or the file's delimiter (fieldDelim).",
        e.getMessage());
    StringBuilder text = new StringBuilder("a,b\n");
    for (int i = 0; i < 150; i++) text.append(i).append(",x\n");
    text.append("7\n");
    Path few = write("few.csv", text.toString());
    e = assertThrows(IllegalArgumentException.class, () -> Utils.csvDataset(few, inOrder()));
    assertTrue(e.getMessage().startsWith(few + " line 152: expected 2 fields"), e.getMessage());
  }

  @Test
  void anUnparseableNumberNamesFileLineAndColumn() throws IOException {
    StringBuilder text = new StringBuilder("n\n");
    for (int i = 0; i < 120; i++) text.append(i).append('\n');
    text.append("12x\n");
    Path csv = write("bad.csv", text.toString());
    var e = assertThrows(IllegalArgumentException.class, () -> Utils.csvDataset(csv, inOrder()));
    assertEquals(csv + " line 122: column 'n' expects int32 values, received '12x'. Fix the value, or"
        + " read the column as text with columnType(\"n\", \"string\").", e.getMessage());
  }

  @Test
  void unknownLabelEmptyFileAndHeaderOnly() throws IOException {
    Path csv = write("l.csv", "a,b\n1,2\n");
    var e = assertThrows(IllegalArgumentException.class, () -> Utils.csvDataset(csv, inOrder().labelName("target")));
    assertEquals("Label column 'target' not found in " + csv + ", whose columns are [a, b]; use one of"
        + " these names.", e.getMessage());
    Path empty = write("empty.csv", "");
    e = assertThrows(IllegalArgumentException.class, () -> Utils.csvDataset(empty));
    assertEquals("CSV file " + empty + " is empty: expected a header line with the column names and rows"
        + " of comma-separated values.", e.getMessage());
    Path headerOnly = write("h.csv", "a,b\n");
    e = assertThrows(IllegalArgumentException.class, () -> Utils.csvDataset(headerOnly));
    assertTrue(e.getMessage().contains("has a header but no rows"), e.getMessage());
    assertThrows(IOException.class, () -> Utils.csvDataset(dir.resolve("missing.csv")));
  }

  /** A spreadsheet's byte-order mark is not part of the first column's name; CRLF line ends count as one line. */
  @Test
  void byteOrderMarkAndWindowsLineEnds() throws IOException {
    Path csv = write("excel.csv", "\uFEFFage,target\r\n1,0\r\n2,1\r\n");
    Dataset data = Utils.csvDataset(csv, inOrder().labelName("target").batchSize(2));
    assertEquals(List.of("age"), data.featureNames());
    assertEquals(List.of(1, 2), column(data, 0));
    Path bad = write("bad-crlf.csv", "a\r\n1\r\nx\r\n");
    var e = assertThrows(IllegalArgumentException.class, () -> Utils.csvDataset(bad, inOrder().columnType("a", "int32")));
    assertTrue(e.getMessage().startsWith(bad + " line 3: column 'a' expects int32 values, received 'x'"), e.getMessage());
  }

  @Test
  void anUnclosedQuoteNamesTheFile() throws IOException {
    Path csv = write("quote.csv", "a,b\n1,\"open\n2,3\n");
    var e = assertThrows(UncheckedIOException.class, () -> Utils.csvDataset(csv));
    assertTrue(e.getMessage().startsWith(csv + " could not be read after line"), e.getMessage());
  }

  @Test
  void textThatIsNotUtf8NamesTheFile() throws IOException {
    Path csv = dir.resolve("latin1.csv");
    Files.write(csv, new byte[] {'a', '\n', 'c', 'a', 'f', (byte) 0xE9, '\n'});
    var e = assertThrows(UncheckedIOException.class, () -> Utils.csvDataset(csv));
    assertTrue(e.getMessage().startsWith(csv + " is not valid UTF-8"), e.getMessage());
  }

  @Test
  void featuresAreSelectedByName() throws IOException {
    Path csv = write("sel.csv", "a,b,c\n1,2,3\n");
    Dataset data = Utils.csvDataset(csv, inOrder()).selectFeatures(List.of("c", "a"));
    assertEquals(List.of("c", "a"), data.featureNames());
    assertEquals(List.of(3), column(data, 0));
    assertEquals(List.of(1), column(data, 1));
    var e = assertThrows(IllegalArgumentException.class, () -> data.selectFeatures(List.of("d")));
    assertEquals("Unknown feature 'd'. The dataset's features are [c, a]; select among these names.", e.getMessage());
  }
}
