package dev.tfkeras.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.Shape;

/**
 * A grid of small images with a caption under each, such as MNIST digits with their labels, or
 * test digits with predicted and true labels where {@linkplain #addMarked marked} cells (the
 * mistakes) get a red frame and a red caption. Grayscale images are drawn as ink on paper (1 is
 * black, 0 white), as matplotlib's {@code cmap="binary"}.
 *
 * <pre>{@code
 * var grid = new ImageGrid(10);
 * for (int i = 0; i < 20; i++) grid.add(data.xTrain().get(i), "label " + data.yTrain().getInt(i));
 * grid.savePng(Path.of("digits.png"));   // or leave `grid` as a notebook cell's value
 * }</pre>
 */
public final class ImageGrid implements Picture {

  private static final Color MARK = new Color(0xD62728);
  private static final int GAP = 6;

  private record Cell(NdArray<Float> image, String caption, boolean marked) {}

  private final int columns;
  private int scale = 3;
  private final List<Cell> cells = new ArrayList<>();

  /** A grid that fills rows of {@code columns} images, left to right. */
  public ImageGrid(int columns) {
    if (columns <= 0) {
      throw new IllegalArgumentException(
          "An image grid needs a positive number of columns, received: " + columns + ".");
    }
    this.columns = columns;
  }

  /** Screen pixels per image pixel (default 3: a 28x28 digit is drawn 84 pixels wide). */
  public ImageGrid scale(int scale) {
    if (scale <= 0 || scale > 64) {
      throw new IllegalArgumentException(
          "The scale of an image grid must be between 1 and 64 screen pixels per image pixel,"
              + " received: " + scale + ".");
    }
    this.scale = scale;
    return this;
  }

  /**
   * Adds an image of shape (height, width), (height, width, 1) or (height, width, 3) with values
   * in [0, 1] (values outside are clipped, NaN is drawn as 0).
   */
  public ImageGrid add(NdArray<Float> image, String caption) {
    return add(image, caption, false);
  }

  /** Adds an image as {@link #add}, framed and captioned in red: a mistake, say. */
  public ImageGrid addMarked(NdArray<Float> image, String caption) {
    return add(image, caption, true);
  }

  private ImageGrid add(NdArray<Float> image, String caption, boolean marked) {
    Shape shape = image.shape();
    boolean ok =
        (shape.numDimensions() == 2 || shape.numDimensions() == 3 && (shape.get(2) == 1 || shape.get(2) == 3))
            && shape.get(0) > 0
            && shape.get(1) > 0;
    if (!ok) {
      throw new IllegalArgumentException(
          "Expected an image of shape (height, width), (height, width, 1) or (height, width, 3),"
              + " received shape " + shape + ". For a batch, add its images one by one: images.get(i).");
    }
    cells.add(new Cell(image, caption == null ? "" : caption, marked));
    return this;
  }

  /** The number of images added. */
  public int size() {
    return cells.size();
  }

  @Override
  public BufferedImage toImage() {
    if (cells.isEmpty()) {
      throw new IllegalStateException("The image grid is empty: add images before drawing it.");
    }
    int cellWidth = 0;
    int cellHeight = 0;
    for (Cell cell : cells) {
      cellWidth = Math.max(cellWidth, (int) cell.image.shape().get(1) * scale);
      cellHeight = Math.max(cellHeight, (int) cell.image.shape().get(0) * scale);
    }
    Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    BufferedImage measure = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    Graphics2D probe = measure.createGraphics();
    FontMetrics metrics = probe.getFontMetrics(font);
    probe.dispose();
    for (Cell cell : cells) {
      cellWidth = Math.max(cellWidth, metrics.stringWidth(cell.caption));
    }
    int captionHeight = metrics.getHeight() + 2;
    int rows = (cells.size() + columns - 1) / columns;
    int usedColumns = Math.min(columns, cells.size());
    int width = GAP + usedColumns * (cellWidth + GAP);
    int height = GAP + rows * (cellHeight + captionHeight + GAP);

    BufferedImage picture = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = picture.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setFont(font);
      for (int i = 0; i < cells.size(); i++) {
        Cell cell = cells.get(i);
        int x = GAP + (i % columns) * (cellWidth + GAP);
        int y = GAP + (i / columns) * (cellHeight + captionHeight + GAP);
        int imageWidth = (int) cell.image.shape().get(1) * scale;
        int imageHeight = (int) cell.image.shape().get(0) * scale;
        int left = x + (cellWidth - imageWidth) / 2;
        int top = y + (cellHeight - imageHeight);
        draw(g, cell.image, left, top);
        if (cell.marked) {
          g.setColor(MARK);
          g.setStroke(new BasicStroke(2f));
          g.drawRect(left - 1, top - 1, imageWidth + 1, imageHeight + 1);
        }
        g.setColor(cell.marked ? MARK : Color.DARK_GRAY);
        int textWidth = metrics.stringWidth(cell.caption);
        g.drawString(cell.caption, x + (cellWidth - textWidth) / 2, y + cellHeight + metrics.getAscent() + 2);
      }
    } finally {
      g.dispose();
    }
    return picture;
  }

  private void draw(Graphics2D g, NdArray<Float> image, int left, int top) {
    Shape shape = image.shape();
    int height = (int) shape.get(0);
    int width = (int) shape.get(1);
    boolean rgb = shape.numDimensions() == 3 && shape.get(2) == 3;
    boolean channel = shape.numDimensions() == 3;
    for (int row = 0; row < height; row++) {
      for (int column = 0; column < width; column++) {
        Color color;
        if (rgb) {
          color =
              new Color(
                  level(image.getObject(row, column, 0)),
                  level(image.getObject(row, column, 1)),
                  level(image.getObject(row, column, 2)));
        } else {
          int ink = level(channel ? image.getObject(row, column, 0) : image.getObject(row, column));
          color = new Color(255 - ink, 255 - ink, 255 - ink);
        }
        g.setColor(color);
        g.fillRect(left + column * scale, top + row * scale, scale, scale);
      }
    }
  }

  /** A value in [0, 1] as 0..255; outside values clipped, NaN as 0. */
  private static int level(Float value) {
    float v = value == null || value.isNaN() ? 0f : Math.max(0f, Math.min(1f, value));
    return Math.round(v * 255f);
  }
}
