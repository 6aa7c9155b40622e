package dev.tfkeras.plot;

import dev.tfkeras.callbacks.History;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Training curves, one chart per quantity side by side: the loss first, then each metric, with the
 * training values and, where the logs have them, the validation values ({@code val_} keys, as
 * Keras names them), per epoch.
 *
 * <pre>{@code
 * History history = model.fit(trainDs, 5, testDs);
 * TrainingCurves.of(history).savePng(Path.of("curves.png"));
 * }</pre>
 */
public final class TrainingCurves implements Picture {

  private static final String VALIDATION = "val_";
  private static final int WIDTH = 440;
  private static final int HEIGHT = 340;

  private final Map<String, List<Double>> logs;

  private TrainingCurves(Map<String, List<Double>> logs) {
    this.logs = logs;
  }

  /** The curves of what {@code fit} recorded. */
  public static TrainingCurves of(History history) {
    return of(history.history());
  }

  /**
   * The curves of per-epoch values by name, e.g. {@code {loss=[...], accuracy=[...],
   * val_loss=[...], val_accuracy=[...]}} (a custom loop can collect them so).
   */
  public static TrainingCurves of(Map<String, ? extends List<? extends Number>> logs) {
    Map<String, List<Double>> copy = new LinkedHashMap<>();
    logs.forEach(
        (name, values) -> {
          if (values == null) {
            throw new IllegalArgumentException("The values of '" + name + "' are null, expected a list with one per epoch.");
          }
          List<Double> doubles = new ArrayList<>();
          for (Number value : values) {
            doubles.add(value == null ? Double.NaN : value.doubleValue());
          }
          if (!doubles.isEmpty()) {
            copy.put(name, doubles);
          }
        });
    if (copy.isEmpty()) {
      throw new IllegalArgumentException(
          "No epochs to plot: the logs " + logs.keySet() + " hold no values. Train for at least one epoch first.");
    }
    return new TrainingCurves(copy);
  }

  /**
   * One chart per quantity (loss first), for restyling before drawing: each has the series
   * "training" and, if recorded, "validation".
   */
  public List<XYChart> charts() {
    List<String> names = new ArrayList<>();
    for (String key : logs.keySet()) {
      String base = key.startsWith(VALIDATION) && logs.containsKey(key.substring(VALIDATION.length()))
          ? key.substring(VALIDATION.length())
          : key;
      if (!names.contains(base)) {
        names.add(base);
      }
    }
    if (names.remove("loss")) {
      names.add(0, "loss");
    }
    List<XYChart> charts = new ArrayList<>();
    for (String name : names) {
      XYChart chart =
          new XYChartBuilder().width(WIDTH).height(HEIGHT).title(name).xAxisTitle("epoch").yAxisTitle(name).build();
      chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS); // never over the curves
      chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
      chart.getStyler().setXAxisDecimalPattern("#");
      addSeries(chart, name.startsWith(VALIDATION) ? "validation" : "training", logs.get(name));
      if (!name.startsWith(VALIDATION) && logs.containsKey(VALIDATION + name)) {
        addSeries(chart, "validation", logs.get(VALIDATION + name));
      }
      charts.add(chart);
    }
    return charts;
  }

  private static void addSeries(XYChart chart, String name, List<Double> values) {
    double[] epochs = new double[values.size()];
    double[] y = new double[values.size()];
    for (int i = 0; i < y.length; i++) {
      epochs[i] = i + 1;
      y[i] = values.get(i);
    }
    XYSeries series = chart.addSeries(name, epochs, y);
    series.setMarker(SeriesMarkers.CIRCLE);
  }

  @Override
  public BufferedImage toImage() {
    List<XYChart> charts = charts();
    BufferedImage picture = new BufferedImage(WIDTH * charts.size(), HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = picture.createGraphics();
    try {
      for (int i = 0; i < charts.size(); i++) {
        Graphics2D panel = (Graphics2D) g.create(i * WIDTH, 0, WIDTH, HEIGHT);
        try {
          charts.get(i).paint(panel, WIDTH, HEIGHT);
        } finally {
          panel.dispose();
        }
      }
    } finally {
      g.dispose();
    }
    return picture;
  }
}
