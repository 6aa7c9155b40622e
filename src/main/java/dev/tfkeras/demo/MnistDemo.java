package dev.tfkeras.demo;

import dev.tfkeras.data.Dataset;
import dev.tfkeras.datasets.Mnist;
import dev.tfkeras.losses.SparseCategoricalCrossentropy;
import dev.tfkeras.metrics.SparseCategoricalAccuracy;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.runtime.Device;
import dev.tfkeras.callbacks.Callback;
import dev.tfkeras.callbacks.History;
import dev.tfkeras.callbacks.TensorBoard;
import dev.tfkeras.callbacks.TerminateOnNaN;
import dev.tfkeras.io.FileErrors;
import dev.tfkeras.plot.TrainingCurves;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.saving.ExportDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains the seed notebook's MNIST model in Java and prints one line per epoch in the notebook's
 * format: {@code Epoch 1, Loss: 0.14, Accuracy: 95.87, Test loss: 0.07, Test Accuracy: 97.67}.
 */
@Command(
    name = "mnist-demo",
    mixinStandardHelpOptions = true,
    version = "tfkeras 0.1.0",
    description =
        "Trains the seed notebook's subclassed CNN on MNIST with a GradientTape custom loop and"
            + " Adam, printing one line per epoch as the notebook does. MNIST is fetched into the"
            + " data directory on first use.")
public final class MnistDemo implements Callable<Integer> {

  private static final Logger LOG = LogManager.getLogger(MnistDemo.class);

  @Option(names = "--epochs", defaultValue = "5", description = "Epochs to train (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "32", description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--shuffle-buffer",
      defaultValue = "10000",
      description = "Shuffle buffer size, as tf.data's shuffle (default: ${DEFAULT-VALUE}).")
  int shuffleBuffer;

  @Option(
      names = "--learning-rate",
      defaultValue = "0.001",
      description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
  float learningRate;

  @Option(names = "--seed", description = "Seed for weights and shuffling, for reproducible runs.")
  Long seed;

  @Option(
      names = "--data-dir",
      description = "Where MNIST is cached (default: $TFKERAS_DATA_DIR, else ./data).")
  Path dataDir;

  @Option(
      names = "--device",
      defaultValue = "cpu",
      description = "cpu or gpu (gpu needs the CUDA build: mvn -Pcuda). Default: ${DEFAULT-VALUE}.")
  String device;

  @Option(
      names = "--fit",
      description = "Train with model.compile/fit (Keras progress bar, then the same epoch lines)"
          + " instead of the GradientTape custom loop.")
  boolean fit;

  @Option(
      names = "--save",
      paramLabel = "DIR",
      description =
          "After training, export a SavedModel (serving_default) and weights.npz to DIR: a new or"
              + " empty directory, or an earlier export, which is replaced. Checked before training.")
  Path saveDir;

  @Option(
      names = "--save-keras",
      paramLabel = "FILE.keras",
      description =
          "After training, save the model in Keras 3's .keras format (config, weights, compile state"
              + " and optimizer), which Python's keras.models.load_model reads: as a Sequential of the"
              + " same layers and weights, which Python loads without custom code (MyModel itself saves"
              + " as \"Custom>MyModel\" once registered, but Python would then need that class)."
              + " Checked before training.")
  Path kerasFile;

  @Option(
      names = "--plot",
      paramLabel = "FILE.png",
      description =
          "After training, draw the training curves (loss and accuracy, training and test, per epoch) to"
              + " this PNG file. Checked before training.")
  Path plotFile;

  @Option(
      names = "--tensorboard",
      paramLabel = "DIR",
      description =
          "Write TensorBoard event files to DIR: per epoch loss and accuracy in DIR/train and DIR/test"
              + " (custom loop, as TensorFlow's custom-loop tutorial), or through the TensorBoard"
              + " callback in DIR/train and DIR/validation (--fit). Checked before training.")
  Path tensorboardDir;

  @Option(
      names = "--intra-op-threads",
      defaultValue = "0",
      description = "Threads TensorFlow uses inside one op; 0 lets TensorFlow choose (default).")
  int intraOpThreads;

  @Option(
      names = "--inter-op-threads",
      defaultValue = "0",
      description = "Ops TensorFlow runs at once; 0 lets TensorFlow choose (default).")
  int interOpThreads;

  @Option(
      names = "--jit",
      description = "Compile the model with XLA (Keras's jit_compile; slower on the CPUs measured, see"
          + " benchmarks/README.md).")
  boolean jit;

  @Option(names = "--verbose", description = "Print stack traces of failures.")
  boolean verbose;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final PrintStream out;

  MnistDemo(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true"); // --plot draws off screen
    }
    System.exit(run(System.out, System.err, args));
  }

  /**
   * Runs the demo; returns the exit code: 0 ok, 1 failure (one line on {@code err}, the stack trace
   * only with --verbose), 2 bad options (message and usage on {@code err}).
   */
  static int run(PrintStream out, PrintStream err, String... args) {
    MnistDemo demo = new MnistDemo(out);
    CommandLine cli = new CommandLine(demo);
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setErr(new java.io.PrintWriter(err, true));
    cli.setParameterExceptionHandler(
        (e, arguments) -> {
          // the message, picocli's suggestions if any, and always the usage
          err.println(e.getMessage());
          CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
          e.getCommandLine().usage(err);
          return 2;
        });
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          err.println("mnist-demo: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
          if (demo.verbose) {
            e.printStackTrace(err);
          }
          return 1;
        });
    return cli.execute(args);
  }

  @Override
  public Integer call() throws Exception {
    validate();
    Path directory = dataDir != null ? dataDir : Mnist.defaultDataDirectory();
    checkSaveDirectory(directory);
    checkOutputFile("--plot", plotFile, "PNG", ".png", "curves.png", "the training curves");
    checkOutputFile("--save-keras", kerasFile, "Keras", ".keras", "model.keras", "the model");
    checkTensorBoardDirectory();
    if (seed != null) {
      GraphRuntime.setRandomSeed(seed);
    }
    // before anything runs: TensorFlow's thread pools are made by the first session
    GraphRuntime.setIntraOpParallelismThreads(intraOpThreads);
    GraphRuntime.setInterOpParallelismThreads(interOpThreads);
    GraphRuntime.setDevice(device.equals("gpu") ? Device.GPU : Device.CPU);
    long start = System.nanoTime();
    Mnist.Data data = Mnist.loadData(directory);
    LOG.info("MNIST loaded from {} in {} ms", directory, (System.nanoTime() - start) / 1_000_000);

    Dataset train =
        (seed != null ? data.train().shuffle(shuffleBuffer, seed) : data.train().shuffle(shuffleBuffer))
            .batch(batchSize)
            .prefetch(2);
    Dataset test = data.test().batch(batchSize).prefetch(2);

    try (var model = new MyModel()) {
      model.setJitCompile(jit);
      double lastLoss;
      History history = new History();
      if (fit) {
        model.compile(
            new Adam(learningRate),
            new SparseCategoricalCrossentropy(true),
            new SparseCategoricalAccuracy("accuracy"));
        List<Callback> callbacks = new ArrayList<>(List.of(new EpochLine(out), new TerminateOnNaN()));
        if (tensorboardDir != null) {
          callbacks.add(new TensorBoard(tensorboardDir));
        }
        history = model.fit(train, epochs, test, 1, callbacks.toArray(Callback[]::new));
        List<Double> losses = history.get("loss");
        lastLoss = losses.get(losses.size() - 1);
      } else {
        lastLoss = CustomLoop.train(model, train, test, epochs, learningRate, out, history, tensorboardDir);
      }
      if (!Double.isFinite(lastLoss)) {
        throw new IllegalStateException(
            "The training loss is " + lastLoss + ": training diverged"
                + (saveDir != null || kerasFile != null ? ", so the model was not saved" : "")
                + ". Try a smaller --learning-rate (this run used " + learningRate + ").");
      }
      if (saveDir != null) {
        model.save(saveDir);
        LOG.info("Saved the SavedModel and weights.npz to {}", saveDir.toAbsolutePath());
      }
      if (kerasFile != null) {
        try (var sequential = model.toSequential()) {
          sequential.save(kerasFile);
        }
        LOG.info("Saved the model in Keras's format to {}", kerasFile.toAbsolutePath());
      }
      if (plotFile != null) {
        TrainingCurves.of(history).savePng(plotFile);
        LOG.info("Saved the training curves to {}", plotFile.toAbsolutePath());
      }
    }
    return 0;
  }

  private void validate() {
    requirePositive("--epochs", epochs);
    requirePositive("--batch-size", batchSize);
    requirePositive("--shuffle-buffer", shuffleBuffer);
    if (intraOpThreads < 0 || interOpThreads < 0) {
      throw usage("--intra-op-threads and --inter-op-threads must be 0 (TensorFlow's choice) or positive,"
          + " received: " + intraOpThreads + " and " + interOpThreads);
    }
    if (!(learningRate > 0f) || Float.isInfinite(learningRate)) {
      throw usage("--learning-rate must be a positive finite number, received: " + learningRate);
    }
    if (!device.equals("cpu") && !device.equals("gpu")) {
      throw usage("--device must be cpu or gpu, received: " + device);
    }
  }

  /**
   * Refuses a --save that the export would destroy or could not be written to, before any data
   * is loaded or any time spent training.
   */
  private void checkSaveDirectory(Path dataDirectory) {
    if (saveDir == null) {
      return;
    }
    Path save = real(saveDir);
    Path data = real(dataDirectory);
    if (save.equals(data)) {
      throw usage(
          "--save " + saveDir + " is the data directory (" + data + "): saving would replace the MNIST"
              + " files there. Choose another directory, e.g. --save model.");
    }
    if (data.startsWith(save)) {
      throw usage(
          "--save " + saveDir + " contains the data directory (" + data + "): saving would replace it."
              + " Choose another directory, e.g. --save model.");
    }
    try {
      ExportDirectory.checkTarget(saveDir);
    } catch (IOException e) {
      throw usage("--save: " + e.getMessage());
    }
  }

  /**
   * Refuses an output file option ({@code --plot}, {@code --save-keras}) whose name lacks its
   * suffix or that could not be written, before training.
   */
  private void checkOutputFile(String option, Path file, String kind, String suffix, String example, String what) {
    if (file == null) {
      return;
    }
    if (!file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(suffix)) {
      throw usage(option + " writes a " + kind + " file: give a name ending in " + suffix + ", received: " + file);
    }
    if (Files.isDirectory(file)) {
      throw usage(option + " " + file + " is a directory, expected a " + kind + " file name, e.g. " + file.resolve(example));
    }
    Path regular = FileErrors.regularFileAbove(file.toAbsolutePath().getParent());
    if (regular != null) {
      throw usage(option + " " + file + ": " + regular + " is a regular file, not a directory. Choose a path whose parents are directories.");
    }
    String problem = unwritable(file.toAbsolutePath(), option + " " + example);
    if (problem != null) {
      throw usage(option + " " + file + ": cannot write " + what + " there: " + problem);
    }
  }

  /** Refuses a --tensorboard path that is a file or could not be created or written, before training. */
  private void checkTensorBoardDirectory() {
    if (tensorboardDir == null) {
      return;
    }
    Path absolute = tensorboardDir.toAbsolutePath();
    if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
      throw usage("--tensorboard " + tensorboardDir + " is a file, expected a directory for the event files,"
          + " e.g. --tensorboard logs.");
    }
    Path file = FileErrors.regularFileAbove(absolute.getParent());
    if (file != null) {
      throw usage("--tensorboard " + tensorboardDir + ": " + file + " is a regular file, not a directory."
          + " Choose a path whose parents are directories.");
    }
    String problem = unwritable(absolute.resolve("probe"), "--tensorboard logs");
    if (problem != null) {
      throw usage("--tensorboard " + tensorboardDir + ": cannot write event files there: " + problem);
    }
  }

  /**
   * Why {@code file} could not be written after training, or null: an existing file is opened for
   * writing (not truncated), else a probe file is created and deleted in the nearest existing
   * directory above it, where the missing directories would be made.
   */
  private static String unwritable(Path file, String example) {
    if (Files.isRegularFile(file)) {
      try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
        return null;
      } catch (IOException e) {
        return "the file is read-only. Choose another location, e.g. " + example + ", or make it writable.";
      }
    }
    Path existing = file.getParent();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return "none of its parent directories exists. Choose another location, e.g. " + example + ".";
    }
    Path probe = existing.resolve(".tfkeras-probe-" + java.util.UUID.randomUUID());
    try {
      Files.createFile(probe);
      Files.delete(probe);
      return null;
    } catch (IOException e) {
      return existing + " does not accept new files or directories. Choose another location, e.g. "
          + example + ".";
    }
  }

  /** The path with its existing part's symbolic links resolved, for comparing two paths. */
  private static Path real(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    Path existing = absolute;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    try {
      return existing == null ? absolute : existing.toRealPath().resolve(existing.relativize(absolute));
    } catch (IOException e) {
      return absolute;
    }
  }

  private void requirePositive(String option, int value) {
    if (value <= 0) {
      throw usage(option + " must be a positive integer, received: " + value);
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
