package dev.tfkeras.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.testing.FreshRuntime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One epoch of the seed configuration on the real MNIST (fetched by Mnist.loadData() into ./data
 * if absent), through the demo main: the notebook's loop and fit must each reach 97.5% test
 * accuracy. About 40 s per epoch on two cores.
 */
@ExtendWith(FreshRuntime.class)
class MnistTrainingIntegrationTest {

  private static final Pattern LINE =
      Pattern.compile(
          "Epoch 1, Loss: (\\d+\\.\\d\\d), Accuracy: (\\d+\\.\\d\\d), Test loss: (\\d+\\.\\d\\d),"
              + " Test Accuracy: (\\d+\\.\\d\\d)");

  @Test
  void customLoopReachesNinetySevenAndAHalfPercentInOneEpoch() {
    assertOneEpochAccuracy("--epochs", "1", "--seed", "1");
  }

  @Test
  void fitReachesNinetySevenAndAHalfPercentInOneEpoch() {
    assertOneEpochAccuracy("--epochs", "1", "--seed", "1", "--fit");
  }

  private static void assertOneEpochAccuracy(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        MnistDemo.run(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            args);
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, "demo failed: " + err.toString(StandardCharsets.UTF_8));
    Matcher line = LINE.matcher(text);
    assertTrue(line.find(), "no epoch line in:\n" + text);
    double trainAccuracy = Double.parseDouble(line.group(2));
    double testAccuracy = Double.parseDouble(line.group(4));
    assertTrue(testAccuracy >= 97.5, "test accuracy " + testAccuracy + " < 97.5 in: " + line.group());
    assertTrue(trainAccuracy > 90 && Double.parseDouble(line.group(1)) < 0.3, line.group());
  }
}
