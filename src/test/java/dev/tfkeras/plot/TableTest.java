package dev.tfkeras.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableTest {

  @Test
  void aMapOfListsIsOneColumnPerKey() {
    Map<String, List<Double>> history = new LinkedHashMap<>();
    history.put("loss", List.of(0.5, 0.25));
    history.put("accuracy", List.of(0.8));
    Table table = Table.of(history);
    assertEquals(List.of("", "loss", "accuracy"), table.columns());
    assertEquals(List.of(List.of(0, 0.5, 0.8), List.of(1, 0.25, "")), table.rows());
    assertEquals(
        """
             loss  accuracy
        -  ------  --------
        0  0.5000    0.8000
        1  0.2500""",
        table.toString());
  }

  @Test
  void otherMapsAreKeyValueRows() {
    Map<String, Object> scores = new LinkedHashMap<>();
    scores.put("loss", 0.0612345);
    scores.put("name", "<b>");
    Table table = Table.of(scores);
    assertEquals(List.of("key", "value"), table.columns());
    assertEquals(
        "<table>\n<thead><tr><th>key</th><th>value</th></tr></thead>\n<tbody>\n"
            + "<tr><td>loss</td><td style=\"text-align:right\">0.0612</td></tr>\n"
            + "<tr><td>name</td><td>&lt;b&gt;</td></tr>\n</tbody>\n</table>",
        table.toHtml());
  }

  @Test
  void rowsNeedOneCellPerColumn() {
    var error = assertThrows(IllegalArgumentException.class, () -> new Table("a", "b").row(1));
    assertEquals("Expected 2 cells, one per column [a, b], received 1: [1].", error.getMessage());
    assertThrows(IllegalArgumentException.class, Table::new);
    assertEquals("a\n-\n\n1", new Table("a").row((Object) null).row(1).toString().replace(" ", ""));
  }
}
