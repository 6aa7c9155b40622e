package dev.tfkeras.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.HeatMapChart;

class ConfusionMatrixPlotTest {

  // true:      0  0  1  1  1  2  2  2  2
  // predicted: 0  1  1  1  2  2  2  0  2
  private static final int[] TRUE = {0, 0, 1, 1, 1, 2, 2, 2, 2};
  private static final int[] PREDICTED = {0, 1, 1, 1, 2, 2, 2, 0, 2};

  @Test
  void countsPairsOfTrueAndPredictedClasses() {
    long[][] counts = ConfusionMatrixPlot.of(TRUE, PREDICTED, 3).counts();
    assertArrayEquals(new long[] {1, 1, 0}, counts[0]);
    assertArrayEquals(new long[] {0, 2, 1}, counts[1]);
    assertArrayEquals(new long[] {1, 0, 3}, counts[2]);
  }

  @Test
  void theHeatMapHasClassZeroOnTopAndTheCountsInItsCells() {
    HeatMapChart chart = ConfusionMatrixPlot.of(TRUE, PREDICTED, 3).chart();
    var series = chart.getHeatMapSeries();
    assertEquals(List.of("0", "1", "2"), series.getXData());
    assertEquals(List.of("2", "1", "0"), series.getYData()); // y grows upwards: the last is the top row
    for (Number[] cell : series.getHeatData()) {
      int predicted = cell[0].intValue();
      int trueClass = Integer.parseInt((String) series.getYData().get(cell[1].intValue()));
      long expected = 0;
      for (int i = 0; i < TRUE.length; i++) {
        if (TRUE[i] == trueClass && PREDICTED[i] == predicted) {
          expected++;
        }
      }
      assertEquals(expected, cell[2].longValue(), "true " + trueClass + ", predicted " + predicted);
    }
    assertEquals(9, series.getHeatData().size());
    assertEquals(chart.getWidth(), ConfusionMatrixPlot.of(TRUE, PREDICTED, 3).toImage().getWidth());
  }

  @Test
  void badLabelsAreNamed() {
    assertEquals(
        "Expected classes 0 to 2, received predicted label 3 at index 1.",
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrixPlot.of(new int[] {0, 1}, new int[] {0, 3}, 3))
            .getMessage());
    assertEquals(
        "Expected as many predicted labels as true labels, received 1 predicted and 2 true.",
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrixPlot.of(new int[] {0, 1}, new int[] {0}, 3))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> ConfusionMatrixPlot.of(new int[] {-1}, new int[] {0}, 3));
    assertThrows(IllegalArgumentException.class, () -> ConfusionMatrixPlot.of(new int[0], new int[0], 3));
    assertThrows(IllegalArgumentException.class, () -> ConfusionMatrixPlot.of(new int[] {0}, new int[] {0}, 0));
  }
}
