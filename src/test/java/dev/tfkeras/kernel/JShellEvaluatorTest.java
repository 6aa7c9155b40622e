package dev.tfkeras.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The notebook kernel's evaluator, without Jupyter: values, output, errors, tfkeras in JShell. */
class JShellEvaluatorTest {

  private static JShellEvaluator evaluator;

  @BeforeAll
  static void start() {
    evaluator =
        new JShellEvaluator(JShellEvaluator.splitClasspath(System.getProperty("java.class.path")));
  }

  @AfterAll
  static void stop() {
    evaluator.close();
  }

  @Test
  void lastExpressionIsTheValue() throws Exception {
    assertEquals(Optional.of("3"), evaluator.eval("1 + 2"));
    assertEquals(Optional.of("6"), evaluator.eval("int a = 2;\nint b = 3;\na * b"));
    assertEquals(Optional.of("\"ab\""), evaluator.eval("String s = \"a\";\ns + \"b\""));
  }

  @Test
  void declarationsAndStatementsHaveNoValue() throws Exception {
    assertEquals(Optional.empty(), evaluator.eval("int seven = 7;"));
    assertEquals(Optional.empty(), evaluator.eval("void hello() {}\nhello();"));
    assertEquals(Optional.of("8"), evaluator.eval("seven + 1"));
  }

  @Test
  void aClosingSemicolonHidesTheValue() throws Exception {
    assertEquals(Optional.empty(), evaluator.eval("1 + 2;"));
    assertEquals(Optional.empty(), evaluator.eval("String.valueOf(4);  // a comment"));
    assertEquals(Optional.of("\"4\""), evaluator.eval("String.valueOf(4)"));
    assertEquals(Optional.of("9"), evaluator.eval("int nine = 9;\nnine"));
    assertEquals(Optional.empty(), evaluator.eval("nine;"));
  }

  @Test
  void printedTextGoesToSystemOut() throws Exception {
    var buffer = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      assertEquals(Optional.empty(), evaluator.eval("for (int i = 0; i < 2; i++) System.out.println(\"line \" + i);"));
    } finally {
      System.setOut(original);
    }
    assertEquals("line 0\nline 1\n", buffer.toString(StandardCharsets.UTF_8));
  }

  @Test
  void compileErrorsStopTheCell() throws Exception {
    var error = assertThrows(CellException.CompilationException.class, () -> evaluator.eval("int bad = \"text\";"));
    assertTrue(error.getMessage().contains("incompatible types"), error.getMessage());
    assertTrue(error.traceback().get(0).startsWith("error: "), error.traceback().toString());

    // The snippets before the broken one ran; the ones after it did not.
    assertThrows(CellException.class, () -> evaluator.eval("int before = 1;\nundefinedName + 1;\nint after = 2;"));
    assertEquals(Optional.of("1"), evaluator.eval("before"));
    assertThrows(CellException.CompilationException.class, () -> evaluator.eval("after"));
  }

  @Test
  void exceptionsStopTheCell() {
    var error =
        assertThrows(
            CellException.EvaluationException.class,
            () -> evaluator.eval("if (true) throw new IllegalStateException(\"boom\");"));
    assertEquals("java.lang.IllegalStateException: boom", error.getMessage());
    assertEquals(0, error.getStackTrace().length);
    assertEquals(error.getMessage(), error.traceback().get(0));

    var nested =
        assertThrows(
            CellException.EvaluationException.class,
            () -> evaluator.eval("void fail() { Integer.parseInt(\"x\"); }\nfail();"));
    assertEquals("java.lang.NumberFormatException: For input string: \"x\"", nested.getMessage());
    assertTrue(nested.traceback().stream().anyMatch(line -> line.contains("fail(")), nested.traceback().toString());
  }

  @Test
  void valuesAreKeptAsObjects() throws Exception {
    var image = evaluator.evaluate("new java.awt.image.BufferedImage(3, 2, java.awt.image.BufferedImage.TYPE_INT_RGB)");
    assertTrue(image.orElseThrow().object() instanceof java.awt.image.BufferedImage, image.toString());
    assertEquals(3, ((java.awt.image.BufferedImage) image.get().object()).getWidth());

    // A cell ending with a variable's name: JShell reads the variable rather than running code.
    evaluator.eval("var words = new java.util.ArrayList<String>(java.util.List.of(\"a\", \"b\"));");
    var words = evaluator.evaluate("words").orElseThrow();
    assertEquals(java.util.List.of("a", "b"), words.object());
    assertEquals("[a, b]", words.text());
    evaluator.eval("words.add(\"c\");");
    assertEquals(java.util.List.of("a", "b", "c"), evaluator.evaluate("words").orElseThrow().object());

    var nothing = evaluator.evaluate("(Object) null").orElseThrow();
    assertEquals(null, nothing.object());
    assertEquals("null", nothing.text());
    assertEquals(Optional.empty(), evaluator.evaluate("int eight = 8;"));
    assertEquals(8, evaluator.evaluate("eight").orElseThrow().object());
    // the object of one cell does not leak into the next, valueless one
    assertEquals(Optional.empty(), evaluator.evaluate("System.out.print(\"\");"));
  }

  @Test
  void displayHandsValuesToTheKernelMidCell() throws Exception {
    var shown = new java.util.ArrayList<Object>();
    Display.setSink(shown::add);
    try {
      assertEquals(Optional.of("3"), evaluator.eval("display(\"first\");\ndisplay(java.util.Map.of(\"k\", 1));\n1 + 2"));
    } finally {
      Display.setSink(null);
    }
    assertEquals(java.util.List.of("first", java.util.Map.of("k", 1)), shown);

    var buffer = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      evaluator.eval("display(42);"); // outside a kernel: printed
    } finally {
      System.setOut(original);
    }
    assertEquals("42\n", buffer.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aRunawayCellIsStopped() throws Exception {
    var started = new java.util.concurrent.CountDownLatch(1);
    Display.setSink(value -> started.countDown());
    var outcome = new java.util.concurrent.CompletableFuture<Throwable>();
    Thread runner =
        new Thread(
            () -> {
              try {
                evaluator.eval("{ display(0); while (true) { Thread.onSpinWait(); } }\nint neverSet = 1;");
                outcome.complete(null);
              } catch (Throwable t) {
                outcome.complete(t);
              }
            });
    try {
      runner.start();
      assertTrue(started.await(30, java.util.concurrent.TimeUnit.SECONDS));
      evaluator.stop();
      Throwable stopped = outcome.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertTrue(stopped instanceof CellException.EvaluationException, String.valueOf(stopped));
      assertEquals("Interrupted: the cell was stopped before its end.", stopped.getMessage());
    } finally {
      Display.setSink(null);
    }
    assertThrows(CellException.CompilationException.class, () -> evaluator.eval("neverSet"));
    assertEquals(Optional.of("2"), evaluator.eval("1 + 1")); // the shell goes on
  }

  @Test
  void incompleteCodeIsAnError() {
    assertThrows(CellException.CompilationException.class, () -> evaluator.eval("int[] xs = {1, 2"));
  }

  @Test
  void aModelDeclaredInJShellNamesItsLayersFromItsFields() throws Exception {
    evaluator.eval(
        """
        import dev.tfkeras.layers.*;
        import dev.tfkeras.models.Model;
        import org.tensorflow.Operand;
        import org.tensorflow.ndarray.Shape;
        import org.tensorflow.types.TFloat32;
        class Tiny extends Model {
          final Dense hidden = new Dense(4, Activation.RELU);
          final Dense logits = new Dense(2);
          @Override
          protected Operand<TFloat32> call(Operand<TFloat32> x, boolean training) {
            return logits.apply(hidden.apply(x));
          }
        }
        var tiny = new Tiny();
        tiny.buildFor(Shape.of(-1, 3));
        """);
    assertEquals(
        Optional.of("[hidden, logits]"),
        evaluator.eval("tiny.layers().stream().map(Layer::name).toList()"));
    assertEquals(Optional.of("26"), evaluator.eval("tiny.countParams()"));
    assertEquals(
        Optional.of("2"),
        evaluator.eval("tiny.predict(org.tensorflow.ndarray.NdArrays.ofFloats(Shape.of(5, 3))).length == 5 ? 2 : -1"));
    evaluator.eval("tiny.close();");
  }
}
