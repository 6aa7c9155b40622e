package dev.tfkeras.models;

import java.util.ArrayList;
import java.util.List;

/**
 * The box-drawn table Keras 3's {@code summary()} prints through rich ({@code Table(width=...,
 * show_lines=True)}, heavy head): fixed column widths reduced to the line length as rich reduces
 * them, cells padded by one space, words wrapped onto further lines rather than cut.
 */
final class SummaryTable {

  private final int[] widths; // per column, padding included
  private final boolean[] rightAligned;
  private final List<String[]> rows = new ArrayList<>();
  private final String[] header;

  /**
   * @param lineLength the table's whole width, borders included
   * @param positions Keras's relative column ends, e.g. {0.45, 0.80, 1.0}
   */
  SummaryTable(int lineLength, double[] positions, String[] header, boolean[] rightAligned) {
    this.header = header;
    this.rightAligned = rightAligned;
    int[] requested = new int[positions.length];
    int current = 0;
    for (int i = 0; i < positions.length; i++) {
      requested[i] = (int) (positions[i] * lineLength) - current + 2; // rich adds the padding
      current += requested[i] - 2;
    }
    int available = lineLength - (positions.length + 1); // minus the vertical borders
    int total = 0;
    for (int w : requested) {
      total += w;
    }
    this.widths = total > available ? ratioReduce(total - available, requested) : requested;
  }

  /** rich's {@code ratio_reduce} with equal ratios: takes {@code excess} off evenly, rounding half to even. */
  private static int[] ratioReduce(int excess, int[] values) {
    int[] out = new int[values.length];
    int remaining = excess;
    int ratios = values.length;
    for (int i = 0; i < values.length; i++) {
      int distributed = Math.min(values[i], (int) Math.rint((double) remaining / ratios));
      out[i] = values[i] - distributed;
      remaining -= distributed;
      ratios--;
    }
    return out;
  }

  void addRow(String... cells) {
    rows.add(cells);
  }

  String render() {
    StringBuilder out = new StringBuilder();
    rule(out, '┏', '━', '┳', '┓');
    line(out, header, '┃');
    rule(out, '┡', '━', '╇', '┩');
    for (int r = 0; r < rows.size(); r++) {
      if (r > 0) {
        rule(out, '├', '─', '┼', '┤');
      }
      line(out, rows.get(r), '│');
    }
    rule(out, '└', '─', '┴', '┘');
    return out.toString();
  }

  private void rule(StringBuilder out, char left, char fill, char cross, char right) {
    out.append(left);
    for (int c = 0; c < widths.length; c++) {
      if (c > 0) {
        out.append(cross);
      }
      out.append(String.valueOf(fill).repeat(widths[c]));
    }
    out.append(right).append('\n');
  }

  private void line(StringBuilder out, String[] cells, char border) {
    List<List<String>> wrapped = new ArrayList<>();
    int height = 1;
    for (int c = 0; c < widths.length; c++) {
      List<String> lines = wrap(c < cells.length ? cells[c] : "", widths[c] - 2);
      wrapped.add(lines);
      height = Math.max(height, lines.size());
    }
    for (int l = 0; l < height; l++) {
      out.append(border);
      for (int c = 0; c < widths.length; c++) {
        if (c > 0) {
          out.append(border);
        }
        String text = l < wrapped.get(c).size() ? wrapped.get(c).get(l) : "";
        String pad = " ".repeat(widths[c] - 2 - text.length());
        out.append(' ').append(rightAligned[c] ? pad + text : text + pad).append(' ');
      }
      out.append(border).append('\n');
    }
  }

  /** Greedy word wrap at spaces; a word longer than the width is folded. */
  static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      while (word.length() > width) {
        if (line.length() > 0) {
          lines.add(line.toString());
          line.setLength(0);
        }
        lines.add(word.substring(0, width));
        word = word.substring(width);
      }
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > 0 || lines.isEmpty()) {
      lines.add(line.toString());
    }
    return lines;
  }
}
