package dev.tfkeras.kernel;

import java.nio.file.Files;
import java.nio.file.Path;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

/**
 * Starts the notebook kernel: {@code java -cp <tfkeras class path> dev.tfkeras.kernel.Main
 * <connection file>}, as a kernelspec's argv does. Cells see the same class path as the kernel.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: java -cp <classpath> dev.tfkeras.kernel.Main <connection file>");
      System.exit(2);
    }
    // Pictures are drawn off screen; on macOS this also keeps a Dock icon from appearing.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    var properties = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
    var connection = new JupyterConnection(properties);
    var evaluator =
        new JShellEvaluator(JShellEvaluator.splitClasspath(System.getProperty("java.class.path")));
    var kernel = new TfKerasKernel(evaluator);
    kernel.becomeHandlerForConnection(connection);
    connection.connect();
    connection.waitUntilClose();
    // TensorFlow's and the cells' threads must not keep a shut-down kernel alive.
    System.exit(0);
  }
}
