package dev.tfkeras.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Log values as Keras's progress bar prints them. */
class ProgressBarValueTest {

  @Test
  void fourDecimalsAboveOneThousandthScientificBelow() {
    assertEquals("0.1235", ProgressBar.value(0.123456));
    assertEquals("12.0000", ProgressBar.value(12));
    assertEquals("-0.0020", ProgressBar.value(-0.002));
    assertEquals("1.0000e-04", ProgressBar.value(1e-4));
    assertEquals("1.0000e-03", ProgressBar.value(1e-3));
    assertEquals("0.0000e+00", ProgressBar.value(0));
  }
}
