package dev.tfkeras.kernel;

import dev.tfkeras.plot.Picture;
import dev.tfkeras.plot.Png;
import dev.tfkeras.plot.Table;
import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.IChart;

/**
 * How the kernel shows a value, as Jupyter's MIME bundle (type to data): images, {@link Picture}s
 * and XChart charts as {@code image/png}, {@link Table}s and maps as {@code text/html}, always
 * with a {@code text/plain} fallback.
 */
final class MimeBundle {

  static final String TEXT = "text/plain";
  static final String HTML = "text/html";
  static final String PNG = "image/png";
  /** Rows of a map shown as HTML; the rest is summarised in one line. */
  static final int MAX_ROWS = 50;

  private MimeBundle() {}

  /**
   * The bundle of {@code value}; {@code text} is its plain text as JShell renders it (null to use
   * {@code String.valueOf}).
   *
   * @throws IllegalStateException if drawing the value failed, naming the value's type and the cause
   */
  static Map<String, String> of(Object value, String text) {
    Map<String, String> bundle = new LinkedHashMap<>();
    String plain = text != null ? text : String.valueOf(value);
    RenderedImage image;
    try {
      image = image(value);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "Cannot draw the " + value.getClass().getName() + " to show it: " + e, e);
    }
    if (image != null) {
      bundle.put(PNG, Base64.getEncoder().encodeToString(Png.encode(image)));
      bundle.put(TEXT, "<" + value.getClass().getSimpleName() + " " + image.getWidth() + "x" + image.getHeight() + ">");
      return bundle;
    }
    if (value instanceof Table table) {
      bundle.put(HTML, table.toHtml());
      bundle.put(TEXT, table.toString());
      return bundle;
    }
    if (value instanceof Map<?, ?> map && !map.isEmpty()) {
      bundle.put(HTML, html(map));
    }
    bundle.put(TEXT, plain);
    return bundle;
  }

  private static RenderedImage image(Object value) {
    if (value instanceof RenderedImage image) {
      return image;
    }
    if (value instanceof Picture picture) {
      return picture.toImage();
    }
    if (value instanceof IChart chart) {
      BufferedImage image = BitmapEncoder.getBufferedImage(chart);
      return image;
    }
    return null;
  }

  private static String html(Map<?, ?> map) {
    Table table = Table.of(map);
    int rows = table.rows().size();
    if (rows <= MAX_ROWS) {
      return table.toHtml();
    }
    Table head = new Table(table.columns().toArray(String[]::new));
    table.rows().subList(0, MAX_ROWS).forEach(row -> head.row(row.toArray()));
    return head.toHtml() + "\n<p>... " + (rows - MAX_ROWS) + " more rows</p>";
  }
}
