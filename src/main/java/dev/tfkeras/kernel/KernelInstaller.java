package dev.tfkeras.kernel;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * Installs the {@code tfkeras-java} Jupyter kernelspec for JupyterLab, Notebook and nbconvert, and
 * removes it. The kernelspec directory gets its own {@code lib/} with the kernel's class path (the
 * project's classes as one jar, the dependency jars hard-linked or copied, TensorFlow's native
 * jars for this platform only), so it keeps working after {@code mvn clean}. Run it through Maven,
 * which supplies that class path: {@code mvn -q compile exec:exec@install-kernel}.
 *
 * <pre>
 * install   [--prefix DIR] [--name NAME] [--display-name TEXT] [--data-dir DIR]
 * uninstall [--prefix DIR] [--name NAME]
 * </pre>
 */
public final class KernelInstaller {

  static final String DEFAULT_NAME = "tfkeras-java";
  static final String DEFAULT_DISPLAY_NAME = "Java (tfkeras)";
  static final String MAIN = "dev.tfkeras.kernel.Main";
  /** The installer's system property naming a log4j2 configuration for the kernel to use. */
  static final String LOG_CONFIG_PROPERTY = "tfkeras.kernel.logConfig";

  private static final String KERNEL_LIBRARY = "org/dflib/jjava/jupyter/kernel/BaseKernel.class";
  private static final String MAIN_CLASS = MAIN.replace('.', '/') + ".class";
  private static final Pattern NATIVE_JAR =
      Pattern.compile(".*-(linux|macosx|windows|android|ios)-(x86_64|x86|arm64|armhf|ppc64le|aarch64)(-[a-z]+)?\\.jar");

  static final String USAGE =
      """
      Usage: KernelInstaller install   [--prefix DIR] [--name NAME] [--display-name TEXT] [--data-dir DIR]
             KernelInstaller uninstall [--prefix DIR] [--name NAME]
      Installs (or removes) the Jupyter kernel for tfkeras notebooks. By default in the user's
      Jupyter data directory ($JUPYTER_DATA_DIR if set, else e.g. ~/.local/share/jupyter);
      --prefix DIR installs into the Python environment at DIR (DIR/share/jupyter), such as
      "$VIRTUAL_ENV" or "$CONDA_PREFIX".
        --name NAME           kernelspec name (default: tfkeras-java)
        --display-name TEXT   name shown in Jupyter's launcher (default: Java (tfkeras))
        --data-dir DIR        where notebooks find or fetch MNIST, as TFKERAS_DATA_DIR
                              (default: $TFKERAS_DATA_DIR, else ./data of this project)
      From the project: mvn -q compile exec:exec@install-kernel -Dkernel.args="--prefix DIR"
                        mvn -q compile exec:exec@uninstall-kernel""";

  /** What the command line asked for. */
  record Options(String command, Path prefix, String name, String displayName, Path dataDir) {}

  private final PrintStream out;
  private final Map<String, String> env;

  KernelInstaller(PrintStream out, Map<String, String> env) {
    this.out = out;
    this.env = env;
  }

  public static void main(String[] args) {
    List<Path> classpath = JShellEvaluator.splitClasspath(System.getProperty("java.class.path")).stream().map(Path::of).toList();
    System.exit(run(System.out, System.err, System.getenv(), classpath, args));
  }

  /** Runs the command; returns the exit code: 0 done, 1 failed (one line on err), 2 bad usage. */
  static int run(PrintStream out, PrintStream err, Map<String, String> env, List<Path> classpath, String... args) {
    Options options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.println(USAGE);
      return 2;
    }
    if (options.command().equals("help")) {
      out.println(USAGE);
      return 0;
    }
    var installer = new KernelInstaller(out, env);
    try {
      Path dataDir =
          options.prefix() != null
              ? JupyterPaths.prefixDataDir(options.prefix())
              : JupyterPaths.userDataDir(env, System.getProperty("os.name"), Path.of(System.getProperty("user.home")));
      Path kernelDir = JupyterPaths.kernelDir(dataDir, options.name());
      if (options.command().equals("install")) {
        installer.install(kernelDir, classpath, options);
      } else {
        installer.uninstall(kernelDir);
      }
      return 0;
    } catch (IOException | IllegalStateException e) {
      err.println("kernel " + options.command() + ": " + e.getMessage());
      return 1;
    }
  }

  static Options parse(String... args) {
    if (args.length == 0) {
      throw new IllegalArgumentException("Missing command: install or uninstall.");
    }
    String command = args[0];
    if (command.equals("--help") || command.equals("-h") || command.equals("help")) {
      return new Options("help", null, DEFAULT_NAME, DEFAULT_DISPLAY_NAME, null);
    }
    if (!command.equals("install") && !command.equals("uninstall")) {
      throw new IllegalArgumentException("Unknown command '" + command + "': expected install or uninstall.");
    }
    Path prefix = null;
    String name = DEFAULT_NAME;
    String displayName = DEFAULT_DISPLAY_NAME;
    Path dataDir = null;
    for (int i = 1; i < args.length; i++) {
      String option = args[i];
      boolean installOnly = option.equals("--display-name") || option.equals("--data-dir");
      if (!option.equals("--prefix") && !option.equals("--name") && !installOnly) {
        throw new IllegalArgumentException("Unknown option '" + option + "' for " + command + ".");
      }
      if (installOnly && command.equals("uninstall")) {
        throw new IllegalArgumentException(option + " is an option of install, not of uninstall.");
      }
      if (i + 1 >= args.length || args[i + 1].isBlank()) {
        throw new IllegalArgumentException(option + " needs a value.");
      }
      String value = args[++i];
      switch (option) {
        case "--prefix" -> prefix = Path.of(value);
        case "--name" -> name = kernelName(value);
        case "--display-name" -> displayName = value;
        default -> dataDir = Path.of(value);
      }
    }
    return new Options(command, prefix, name, displayName, dataDir);
  }

  /** Jupyter's rule for kernelspec names: ASCII letters, digits, '.', '_', '-'. */
  private static String kernelName(String name) {
    if (!name.matches("[A-Za-z0-9._-]+") || name.startsWith(".")) {
      throw new IllegalArgumentException(
          "--name must be ASCII letters, digits, '.', '_' or '-' (not starting with '.'), as Jupyter's kernel"
              + " names are, received: '" + name + "'.");
    }
    return name.toLowerCase(Locale.ROOT);
  }

  void install(Path kernelDir, List<Path> classpath, Options options) throws IOException {
    checkOurs(kernelDir, "replace");
    Path parent = kernelDir.getParent();
    createDirectories(parent);
    Path staging = parent.resolve("." + kernelDir.getFileName() + ".installing-" + UUID.randomUUID());
    try {
      Path lib = createDirectories(staging.resolve("lib"));
      long bytes = fillLib(lib, classpath);
      Path data = options.dataDir() != null ? options.dataDir() : defaultMnistDir();
      // The kernel logs with the project's configuration, which the library jar does not carry.
      String logConfig = System.getProperty(LOG_CONFIG_PROPERTY);
      Path kernelLogConfig = null;
      if (logConfig != null && Files.isRegularFile(Path.of(logConfig))) {
        Files.copy(Path.of(logConfig), staging.resolve("log4j2.xml"));
        kernelLogConfig = kernelDir.resolve("log4j2.xml");
      }
      writeKernelJson(staging.resolve("kernel.json"), kernelDir.resolve("lib"), options.displayName(),
          data.toAbsolutePath().normalize(), kernelLogConfig);
      replace(kernelDir, staging);
      out.printf(
          Locale.ROOT,
          "Installed the Jupyter kernel '%s' (%s) in %s%n  class path: %d jars in %s (%.0f MB, hard-linked where"
              + " possible)%n  MNIST: %s (TFKERAS_DATA_DIR)%n  Check with: jupyter kernelspec list%n",
          options.displayName(),
          kernelDir.getFileName(),
          kernelDir,
          countJars(kernelDir.resolve("lib")),
          kernelDir.resolve("lib"),
          bytes / 1e6,
          data.toAbsolutePath().normalize());
    } finally {
      deleteTree(staging);
    }
  }

  void uninstall(Path kernelDir) throws IOException {
    if (!Files.exists(kernelDir)) {
      out.println("No kernel '" + kernelDir.getFileName() + "' in " + kernelDir.getParent() + ": nothing to remove.");
      return;
    }
    checkOurs(kernelDir, "remove");
    deleteTree(kernelDir);
    out.println("Removed the Jupyter kernel '" + kernelDir.getFileName() + "' from " + kernelDir);
  }

  private Path defaultMnistDir() {
    String configured = env.get("TFKERAS_DATA_DIR");
    return configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("data");
  }

  /** Refuses to touch a directory that is not a kernelspec of this installer. */
  private static void checkOurs(Path kernelDir, String action) throws IOException {
    if (!Files.exists(kernelDir)) {
      return;
    }
    Path json = kernelDir.resolve("kernel.json");
    boolean ours = false;
    if (Files.isRegularFile(json)) {
      try {
        JsonElement argv = JsonParser.parseString(Files.readString(json)).getAsJsonObject().get("argv");
        ours = argv != null && argv.toString().contains("\"" + MAIN + "\"");
      } catch (RuntimeException e) {
        ours = false; // not JSON, or not a kernelspec
      }
    }
    if (!ours) {
      throw new IllegalStateException(
          "Will not " + action + " " + kernelDir + ": it is not a tfkeras kernel (its kernel.json does not"
              + " start " + MAIN + "). Choose another --name, or remove it with: jupyter kernelspec remove "
              + kernelDir.getFileName());
    }
  }

  /** Fills {@code lib} from the class path; returns the bytes it holds. */
  private static long fillLib(Path lib, List<Path> classpath) throws IOException {
    String platform = platform(System.getProperty("os.name"), System.getProperty("os.arch"));
    boolean hasKernelLibrary = false;
    boolean hasMain = false;
    int directories = 0;
    for (Path entry : classpath) {
      if (Files.isDirectory(entry)) {
        hasMain |= Files.isRegularFile(entry.resolve(MAIN_CLASS));
        hasKernelLibrary |= Files.isRegularFile(entry.resolve(KERNEL_LIBRARY));
        jarDirectory(entry, lib.resolve(directories++ == 0 ? "tfkeras-classes.jar" : "classes-" + directories + ".jar"));
      } else if (Files.isRegularFile(entry) && entry.getFileName().toString().endsWith(".jar")) {
        String name = entry.getFileName().toString();
        if (!keepJar(name, platform)) {
          continue;
        }
        if (!NATIVE_JAR.matcher(name).matches()) {
          try (var zip = new ZipFile(entry.toFile())) {
            hasMain |= zip.getEntry(MAIN_CLASS) != null;
            hasKernelLibrary |= zip.getEntry(KERNEL_LIBRARY) != null;
          }
        }
        Path target = lib.resolve(name);
        if (Files.exists(target)) {
          target = lib.resolve(UUID.randomUUID().toString().substring(0, 8) + "-" + name);
        }
        linkOrCopy(entry, target);
      }
    }
    if (!hasMain || !hasKernelLibrary) {
      throw new IllegalStateException(
          "The class path lacks " + (hasMain ? "JJava's Jupyter library (org.dflib.jjava:jjava-jupyter)" : MAIN)
              + ", which the kernel needs. Run the installer through Maven, which supplies the kernel's class"
              + " path: mvn -q compile exec:exec@install-kernel");
    }
    long bytes = 0;
    try (Stream<Path> files = Files.list(lib)) {
      for (Path file : files.toList()) {
        bytes += Files.size(file);
      }
    }
    return bytes;
  }

  /** JavaCPP's platform name of this machine, e.g. linux-x86_64, macosx-arm64, windows-x86_64. */
  static String platform(String osName, String osArch) {
    String os = osName.toLowerCase(Locale.ROOT);
    String system = os.startsWith("windows") ? "windows" : os.startsWith("mac") ? "macosx" : os.replace(" ", "");
    String arch =
        switch (osArch.toLowerCase(Locale.ROOT)) {
          case "amd64", "x86_64", "x86-64" -> "x86_64";
          case "aarch64", "arm64" -> "arm64";
          case "i386", "i486", "i586", "i686", "x86" -> "x86";
          default -> osArch.toLowerCase(Locale.ROOT);
        };
    return system + "-" + arch;
  }

  /** Whether a jar belongs in the kernel: any jar but native libraries of other platforms. */
  static boolean keepJar(String fileName, String platform) {
    Matcher matcher = NATIVE_JAR.matcher(fileName);
    return !matcher.matches() || (matcher.group(1) + "-" + matcher.group(2)).equals(platform);
  }

  private static void linkOrCopy(Path source, Path target) throws IOException {
    try {
      Files.createLink(target, source);
    } catch (IOException | UnsupportedOperationException e) {
      Files.copy(source, target);
    }
  }

  private static void jarDirectory(Path directory, Path jar) throws IOException {
    try (Stream<Path> walk = Files.walk(directory);
        OutputStream file = Files.newOutputStream(jar);
        var zip = new JarOutputStream(file)) {
      for (Path path : walk.filter(Files::isRegularFile).sorted().toList()) {
        String name = directory.relativize(path).toString().replace(File.separatorChar, '/');
        zip.putNextEntry(new JarEntry(name));
        Files.copy(path, zip);
        zip.closeEntry();
      }
    }
  }

  /** kernel.json: this JVM's java on the kernel's own lib/, headless, with the MNIST directory. */
  private static void writeKernelJson(Path json, Path lib, String displayName, Path mnist, Path logConfig)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", isWindows() ? "java.exe" : "java").toString();
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("display_name", displayName);
    spec.put("language", "java");
    List<String> argv = new java.util.ArrayList<>(List.of(java, "-Djava.awt.headless=true"));
    if (logConfig != null) {
      argv.add("-Dlog4j2.configurationFile=" + logConfig);
    }
    argv.addAll(List.of("-cp", lib + File.separator + "*", MAIN, "{connection_file}"));
    spec.put("argv", argv);
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("TF_CPP_MIN_LOG_LEVEL", "2");
    environment.put("TFKERAS_DATA_DIR", mnist.toString());
    spec.put("env", environment);
    spec.put("interrupt_mode", "message");
    Gson gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    Files.writeString(json, gson.toJson(spec) + "\n", StandardCharsets.UTF_8);
  }

  private static boolean isWindows() {
    return System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("windows");
  }

  /** Puts {@code staging} in place of {@code kernelDir}, removing the old one. */
  private static void replace(Path kernelDir, Path staging) throws IOException {
    Path old = null;
    if (Files.exists(kernelDir)) {
      old = kernelDir.resolveSibling("." + kernelDir.getFileName() + ".old-" + UUID.randomUUID());
      Files.move(kernelDir, old);
    }
    try {
      Files.move(staging, kernelDir, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (old != null) {
        Files.move(old, kernelDir);
      }
      throw e;
    }
    if (old != null) {
      deleteTree(old);
    }
  }

  private static Path createDirectories(Path directory) throws IOException {
    try {
      return Files.createDirectories(directory);
    } catch (IOException e) {
      throw dev.tfkeras.io.FileErrors.explain(e, "create the directory", directory);
    }
  }

  private static long countJars(Path lib) throws IOException {
    try (Stream<Path> files = Files.list(lib)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".jar")).count();
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
