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
