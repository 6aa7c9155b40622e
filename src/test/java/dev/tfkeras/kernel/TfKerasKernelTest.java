package dev.tfkeras.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernel's answers to cells, as Jupyter would receive them (without a connection). */
class TfKerasKernelTest {

  private static TfKerasKernel kernel;

  @BeforeAll
  static void start() {
    kernel =
        new TfKerasKernel(
            new JShellEvaluator(JShellEvaluator.splitClasspath(System.getProperty("java.class.path"))));
  }

  @AfterAll
  static void stop() {
    kernel.onShutdown(false);
  }

  @Test
  void aPictureCellIsAPng() {
    DisplayData data =
        kernel.eval(
            """
            import dev.tfkeras.plot.*;
            var grid = new ImageGrid(2).add(org.tensorflow.ndarray.NdArrays.ofFloats(org.tensorflow.ndarray.Shape.of(4, 4)), "a");
            grid
            """);
    assertTrue(data.hasDataForType(MIMEType.IMAGE_PNG));
    assertEquals("<ImageGrid " + grid().getWidth() + "x" + grid().getHeight() + ">", data.getData(MIMEType.TEXT_PLAIN));
  }

  private static java.awt.image.BufferedImage grid() {
    return (java.awt.image.BufferedImage) kernel.evalRaw("grid.toImage()");
  }

  @Test
  void aMapCellIsAnHtmlTableAndTextCellsStayText() {
    DisplayData map = kernel.eval("java.util.Map.of(\"loss\", java.util.List.of(0.5))");
    assertTrue(String.valueOf(map.getData(MIMEType.TEXT_HTML)).contains("<td style=\"text-align:right\">0.5000</td>"));
    DisplayData text = kernel.eval("\"plain\"");
    assertEquals("\"plain\"", text.getData(MIMEType.TEXT_PLAIN));
    assertTrue(!text.hasDataForType(MIMEType.TEXT_HTML) && !text.hasDataForType(MIMEType.IMAGE_PNG));
    assertNull(kernel.eval("int quiet = 1;"));
  }

  @Test
  void aPictureThatCannotBeDrawnFailsTheCellWithOneMessage() {
    var error = assertThrows(CellException.EvaluationException.class, () -> kernel.eval("new dev.tfkeras.plot.ImageGrid(3)"));
    assertEquals(
        "java.lang.IllegalStateException: Cannot draw the dev.tfkeras.plot.ImageGrid to show it:"
            + " java.lang.IllegalStateException: The image grid is empty: add images before drawing it.",
        error.getMessage());
    assertEquals(List.of(error.getMessage()), kernel.formatError(error));
  }

  @Test
  void classpathMagicAddsJarsAndDirectories(@TempDir Path dir) throws Exception {
    Path source = Files.writeString(dir.resolve("Greeter.java"), "package greet; public class Greeter { public static String hi() { return \"hi\"; } }");
    Path classes = Files.createDirectory(dir.resolve("classes"));
    int status = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), source.toString());
    assertEquals(0, status);
    DisplayData data = kernel.eval("%classpath " + classes + "\ngreet.Greeter.hi()");
    assertEquals("\"hi\"", data.getData(MIMEType.TEXT_PLAIN));

    var unknown = assertThrows(CellException.CompilationException.class, () -> kernel.eval("%maven a:b:1\n1"));
    assertEquals(
        "Unknown magic %maven: this kernel knows only %classpath (adds jars and class directories to the class path).",
        unknown.getMessage());
    var missing = assertThrows(CellException.CompilationException.class, () -> kernel.eval("%classpath " + dir.resolve("nope.jar")));
    assertTrue(missing.getMessage().startsWith("%classpath: " + dir.resolve("nope.jar") + " does not exist."), missing.getMessage());
    var empty = assertThrows(CellException.CompilationException.class, () -> kernel.eval("%classpath " + classes + "/*"));
    assertEquals("%classpath: " + classes + " holds no .jar files.", empty.getMessage());
  }
}
