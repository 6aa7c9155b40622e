package dev.tfkeras.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/**
 * A confusion matrix as a heat map: row = true class, column = predicted class, each cell the
 * number of examples, the diagonal holding the correct ones. Class 0 is the top row, as in
 * scikit-learn's {@code ConfusionMatrixDisplay}.
 *
 * <pre>{@code
 * ConfusionMatrixPlot.of(trueLabels, predictedLabels, 10).savePng(Path.of("confusion.png"));
 * }</pre>
 */
public final class ConfusionMatrixPlot implements Picture {

  private final long[][] counts;

  private ConfusionMatrixPlot(long[][] counts) {
    this.counts = counts;
  }

  /**
   * Counts the pairs (true, predicted) of classes {@code 0 .. numClasses - 1}.
   *
   * @throws IllegalArgumentException if the arrays differ in length, are empty, or hold a class
   *     outside the range
   */
  public static ConfusionMatrixPlot of(int[] trueLabels, int[] predictedLabels, int numClasses) {
    if (numClasses <= 0) {
      throw new IllegalArgumentException(
          "A confusion matrix needs a positive number of classes, received: " + numClasses + ".");
    }
    if (trueLabels.length != predictedLabels.length) {
      throw new IllegalArgumentException(
          "Expected as many predicted labels as true labels, received " + predictedLabels.length
              + " predicted and " + trueLabels.length + " true.");
    }
    if (trueLabels.length == 0) {
      throw new IllegalArgumentException("No labels to count: both arrays are empty.");
    }
    long[][] counts = new long[numClasses][numClasses];
    for (int i = 0; i < trueLabels.length; i++) {
      counts[checked(trueLabels[i], numClasses, "true", i)][checked(predictedLabels[i], numClasses, "predicted", i)]++;
    }
    return new ConfusionMatrixPlot(counts);
  }

  private static int checked(int label, int numClasses, String which, int index) {
    if (label < 0 || label >= numClasses) {
      throw new IllegalArgumentException(
          "Expected classes 0 to " + (numClasses - 1) + ", received " + which + " label " + label
              + " at index " + index + ".");
    }
    return label;
  }

  /** {@code counts()[t][p]}: how many examples of true class t were predicted as p (a copy). */
  public long[][] counts() {
    long[][] copy = new long[counts.length][];
    for (int i = 0; i < counts.length; i++) {
      copy[i] = counts[i].clone();
    }
    return copy;
  }

  /** The heat map, for restyling before drawing. */
  public HeatMapChart chart() {
    int n = counts.length;
    int size = Math.max(360, 60 + 48 * n);
    HeatMapChart chart =
        new HeatMapChartBuilder()
            .width(size)
            .height(size)
            .title("Confusion matrix")
            .xAxisTitle("predicted")
            .yAxisTitle("true")
            .build();
    List<String> predicted = new ArrayList<>();
    List<String> actual = new ArrayList<>();
    List<Number[]> cells = new ArrayList<>();
    long max = 1;
    for (int t = 0; t < n; t++) {
      predicted.add(String.valueOf(t));
      actual.add(String.valueOf(n - 1 - t)); // top row first
      for (int p = 0; p < n; p++) {
        max = Math.max(max, counts[t][p]);
      }
    }
    for (int p = 0; p < n; p++) {
      for (int row = 0; row < n; row++) {
        cells.add(new Number[] {p, row, counts[n - 1 - row][p]});
      }
    }
    chart.addSeries("counts", predicted, actual, cells);
    var styler = chart.getStyler();
    styler.setShowValue(true);
    styler.setHeatMapValueDecimalPattern("#");
    styler.setMin(0);
    styler.setMax(max);
    // light enough at the top of the range for the black counts to stay readable
    styler.setRangeColors(new Color[] {Color.WHITE, new Color(0xC6DBEF), new Color(0x6BAED6)});
    styler.setValueFontColor(Color.BLACK);
    styler.setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, n > 12 ? 10 : 13));
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setLegendVisible(false);
    styler.setXAxisTickMarkSpacingHint(10);
    styler.setYAxisTickMarkSpacingHint(10);
    styler.setPlotContentSize(1.0);
    return chart;
  }

  @Override
  public BufferedImage toImage() {
    return BitmapEncoder.getBufferedImage(chart());
  }
}
