package dev.tfkeras.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.callbacks.History;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

class TrainingCurvesTest {

  private static History history() {
    var history = new History();
    double[][] epochs = {{0.5, 0.8, 0.6, 0.75}, {0.3, 0.9, 0.4, 0.85}, {0.2, 0.95, 0.35, 0.88}};
    for (int e = 0; e < epochs.length; e++) {
      Map<String, Double> logs = new LinkedHashMap<>();
      logs.put("accuracy", epochs[e][1]); // the loss comes first in the charts whatever the order here
      logs.put("loss", epochs[e][0]);
      logs.put("val_loss", epochs[e][2]);
      logs.put("val_accuracy", epochs[e][3]);
      history.onEpochEnd(e, logs);
    }
    return history;
  }

  private static double[] y(XYChart chart, String series) {
    return chart.getSeries(series).getYData();
  }

  private static List<String> names(XYChart chart) {
    return chart.getSeriesCollection().stream().map(s -> s.getName()).toList();
  }

  @Test
  void oneChartPerQuantityWithTrainingAndValidation() {
    List<XYChart> charts = TrainingCurves.of(history()).charts();
    assertEquals(List.of("loss", "accuracy"), charts.stream().map(XYChart::getTitle).toList());
    XYChart loss = charts.get(0);
    assertEquals(List.of("training", "validation"), names(loss));
    assertArrayEquals(new double[] {0.5, 0.3, 0.2}, y(loss, "training"));
    assertArrayEquals(new double[] {0.6, 0.4, 0.35}, y(loss, "validation"));
    assertArrayEquals(new double[] {1, 2, 3}, loss.getSeries("training").getXData());
    assertArrayEquals(new double[] {0.75, 0.85, 0.88}, y(charts.get(1), "validation"));
    assertEquals("epoch", loss.getXAxisTitle());
  }

  @Test
  void logsWithoutValidationOrWithOnlyValidation() {
    Map<String, List<Double>> logs = new LinkedHashMap<>();
    logs.put("mae", List.of(3.0, 2.0));
    logs.put("val_auc", List.of(0.7, 0.8));
    List<XYChart> charts = TrainingCurves.of(logs).charts();
    assertEquals(List.of("mae", "val_auc"), charts.stream().map(XYChart::getTitle).toList());
    assertEquals(List.of("training"), names(charts.get(0)));
    assertEquals(List.of("validation"), names(charts.get(1)));
  }

  @Test
  void theChartsAreDrawnSideBySide() {
    BufferedImage image = TrainingCurves.of(history()).toImage();
    assertEquals(2 * 440, image.getWidth());
    assertEquals(340, image.getHeight());
    // a single epoch, integers, and a NaN draw too
    Map<String, List<Number>> one = new LinkedHashMap<>();
    one.put("loss", List.of(1));
    one.put("val_loss", List.of(Double.NaN));
    assertEquals(440, TrainingCurves.of(one).toImage().getWidth());
  }

  @Test
  void emptyLogsAreRefused() {
    var error = assertThrows(IllegalArgumentException.class, () -> TrainingCurves.of(Map.of("loss", List.of())));
    assertEquals(
        "No epochs to plot: the logs [loss] hold no values. Train for at least one epoch first.", error.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TrainingCurves.of(new History()));
  }
}
