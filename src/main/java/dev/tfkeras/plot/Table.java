package dev.tfkeras.plot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small table of values: the notebook kernel shows it as {@code text/html}, {@link #toString()}
 * gives aligned plain text. Floating-point numbers are shown with 4 decimals.
 *
 * <pre>{@code
 * new Table("digit", "precision").row(0, 0.991).row(1, 0.987)
 * Table.of(history.history())   // one column per key, one row per epoch
 * }</pre>
 */
public final class Table {

  private final List<String> columns;
  private final List<List<Object>> rows = new ArrayList<>();

  /** An empty table with these column headers. */
  public Table(String... columns) {
    if (columns.length == 0) {
      throw new IllegalArgumentException("A table needs at least one column header, received none.");
    }
    this.columns = List.of(Arrays.stream(columns).map(String::valueOf).toArray(String[]::new));
  }

  /**
   * A map as a table. If every value is a collection (e.g. {@code History.history()}), one column
   * per key and one row per index, with the index (from 0) first; otherwise the rows are
   * key/value pairs.
   */
  public static Table of(Map<?, ?> map) {
    boolean columnar = !map.isEmpty() && map.values().stream().allMatch(v -> v instanceof Collection<?>);
    if (!columnar) {
      Table table = new Table("key", "value");
      map.forEach((key, value) -> table.row(key, value));
      return table;
    }
    List<String> headers = new ArrayList<>();
    headers.add("");
    map.keySet().forEach(key -> headers.add(String.valueOf(key)));
    Table table = new Table(headers.toArray(String[]::new));
    int length = map.values().stream().mapToInt(v -> ((Collection<?>) v).size()).max().orElse(0);
    List<List<Object>> values = new ArrayList<>();
    map.values().forEach(v -> values.add(new ArrayList<>((Collection<?>) v)));
    for (int i = 0; i < length; i++) {
      Object[] row = new Object[headers.size()];
      row[0] = i;
      for (int c = 0; c < values.size(); c++) {
        row[c + 1] = i < values.get(c).size() ? values.get(c).get(i) : "";
      }
      table.row(row);
    }
    return table;
  }

  /** Adds a row of as many cells as there are columns. */
  public Table row(Object... cells) {
    if (cells.length != columns.size()) {
      throw new IllegalArgumentException(
          "Expected " + columns.size() + " cells, one per column " + columns + ", received " + cells.length
              + ": " + Arrays.toString(cells) + ".");
    }
    rows.add(Collections.unmodifiableList(Arrays.asList(cells.clone())));
    return this;
  }

  /** The column headers. */
  public List<String> columns() {
    return columns;
  }

  /** The rows, as added. */
  public List<List<Object>> rows() {
    return Collections.unmodifiableList(rows);
  }

  /** A cell as shown: numbers with 4 decimals if floating-point, null as empty. */
  static String format(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      return Double.isFinite(d) ? String.format(Locale.ROOT, "%.4f", d) : String.valueOf(d);
    }
    return String.valueOf(value);
  }

  /** An HTML {@code <table>}, text escaped, numbers right-aligned. */
  public String toHtml() {
    var html = new StringBuilder("<table>\n<thead><tr>");
    for (String column : columns) {
      html.append("<th>").append(escape(column)).append("</th>");
    }
    html.append("</tr></thead>\n<tbody>\n");
    for (List<Object> row : rows) {
      html.append("<tr>");
      for (Object cell : row) {
        html.append(cell instanceof Number ? "<td style=\"text-align:right\">" : "<td>")
            .append(escape(format(cell)))
            .append("</td>");
      }
      html.append("</tr>\n");
    }
    return html.append("</tbody>\n</table>").toString();
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** Plain text, columns aligned (numeric columns to the right), headers underlined. */
  @Override
  public String toString() {
    int[] widths = new int[columns.size()];
    boolean[] numeric = new boolean[columns.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = columns.get(c).length();
      numeric[c] = !rows.isEmpty();
      for (List<Object> row : rows) {
        widths[c] = Math.max(widths[c], format(row.get(c)).length());
        numeric[c] &= row.get(c) instanceof Number || format(row.get(c)).isEmpty();
      }
    }
    var text = new StringBuilder();
    List<String> rules = new ArrayList<>();
    for (int width : widths) {
      rules.add("-".repeat(width));
    }
    appendLine(text, columns, widths, numeric);
    appendLine(text, rules, widths, numeric);
    for (List<Object> row : rows) {
      appendLine(text, row.stream().map(Table::format).toList(), widths, numeric);
    }
    return text.toString().stripTrailing();
  }

  private static void appendLine(StringBuilder text, List<String> cells, int[] widths, boolean[] right) {
    var line = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      String cell = cells.get(c);
      String pad = " ".repeat(widths[c] - cell.length());
      line.append(c == 0 ? "" : "  ").append(right[c] ? pad + cell : cell + pad);
    }
    text.append(line.toString().stripTrailing()).append('\n');
  }
}
