package dev.tfkeras.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tfkeras.datasets.Mnist;
import dev.tfkeras.datasets.MnistUnavailableException;
import dev.tfkeras.models.Model;
import org.tensorflow.ndarray.IntNdArray;

/** How many of MNIST's 10,000 test images a model classifies right; the test is skipped without MNIST. */
public final class MnistTestSet {

  private MnistTestSet() {}

  /** The count of test images whose highest output is their label (inputs as the model takes them). */
  public static int correct(Model model) throws java.io.IOException {
    Mnist.Data data;
    try {
      data = Mnist.loadData();
    } catch (MnistUnavailableException e) {
      assumeTrue(false, "MNIST is not available here: " + e.getMessage());
      return -1;
    }
    float[][] outputs = model.predict(data.xTest(), 500);
    IntNdArray labels = data.yTest();
    int correct = 0;
    for (int i = 0; i < outputs.length; i++) {
      int best = 0;
      for (int k = 1; k < outputs[i].length; k++) {
        if (outputs[i][k] > outputs[i][best]) {
          best = k;
        }
      }
      correct += best == labels.getInt(i) ? 1 : 0;
    }
    return correct;
  }
}
