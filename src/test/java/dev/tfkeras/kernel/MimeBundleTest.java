package dev.tfkeras.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.plot.Picture;
import dev.tfkeras.plot.Table;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChartBuilder;

class MimeBundleTest {

  private static BufferedImage png(Map<String, String> bundle) throws IOException {
    return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(bundle.get(MimeBundle.PNG))));
  }

  @Test
  void imagesPicturesAndChartsArePngs() throws IOException {
    var image = new BufferedImage(5, 4, BufferedImage.TYPE_INT_RGB);
    image.setRGB(1, 2, 0xABCDEF);
    Map<String, String> bundle = MimeBundle.of(image, "ignored");
    assertEquals(List.of(MimeBundle.PNG, MimeBundle.TEXT), List.copyOf(bundle.keySet()));
    assertEquals(0xABCDEF, png(bundle).getRGB(1, 2) & 0xFFFFFF);
    assertEquals("<BufferedImage 5x4>", bundle.get(MimeBundle.TEXT));

    Picture picture = () -> new BufferedImage(9, 3, BufferedImage.TYPE_INT_RGB);
    assertEquals(9, png(MimeBundle.of(picture, null)).getWidth());

    var chart = new XYChartBuilder().width(200).height(150).build();
    chart.addSeries("y", new double[] {1, 2}, new double[] {3, 4});
    BufferedImage drawn = png(MimeBundle.of(chart, null));
    assertEquals(200, drawn.getWidth());
    assertEquals(150, drawn.getHeight());
  }

  @Test
  void tablesAndMapsAreHtmlWithTextBeside() {
    Table table = new Table("a").row(1);
    Map<String, String> bundle = MimeBundle.of(table, null);
    assertEquals(table.toHtml(), bundle.get(MimeBundle.HTML));
    assertEquals(table.toString(), bundle.get(MimeBundle.TEXT));

    Map<String, List<Double>> history = new LinkedHashMap<>();
    history.put("loss", List.of(0.5, 0.25));
    Map<String, String> shown = MimeBundle.of(history, "{loss=[0.5, 0.25]}");
    assertEquals(Table.of(history).toHtml(), shown.get(MimeBundle.HTML));
    assertEquals("{loss=[0.5, 0.25]}", shown.get(MimeBundle.TEXT)); // JShell's text kept

    Map<Integer, Integer> big = new LinkedHashMap<>();
    for (int i = 0; i < MimeBundle.MAX_ROWS + 7; i++) {
      big.put(i, i * i);
    }
    String html = MimeBundle.of(big, null).get(MimeBundle.HTML);
    assertEquals(MimeBundle.MAX_ROWS, html.split("<tr><td").length - 1);
    assertTrue(html.endsWith("<p>... 7 more rows</p>"), html);
  }

  @Test
  void otherValuesAreText() {
    assertEquals(Map.of(MimeBundle.TEXT, "\"hi\""), MimeBundle.of("hi", "\"hi\""));
    assertEquals(Map.of(MimeBundle.TEXT, "{}"), MimeBundle.of(Map.of(), "{}"));
    assertEquals(Map.of(MimeBundle.TEXT, "null"), MimeBundle.of(null, "null"));
  }

  @Test
  void aPictureThatFailsToDrawIsNamed() {
    Picture broken = () -> {
      throw new IllegalStateException("The image grid is empty");
    };
    var error = assertThrows(IllegalStateException.class, () -> MimeBundle.of(broken, null));
    assertTrue(error.getMessage().startsWith("Cannot draw the " + broken.getClass().getName() + " to show it: "), error.getMessage());
    assertTrue(error.getMessage().endsWith("The image grid is empty"), error.getMessage());
  }
}
