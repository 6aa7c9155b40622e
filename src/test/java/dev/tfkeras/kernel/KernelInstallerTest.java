package dev.tfkeras.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelInstallerTest {

  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private Path jupyter;
  private List<Path> classpath;
  private final String platform =
      KernelInstaller.platform(System.getProperty("os.name"), System.getProperty("os.arch"));

  @BeforeEach
  void fakeClasspath() throws IOException {
    jupyter = dir.resolve("jupyter");
    Path classes = dir.resolve("target/classes");
    Files.createDirectories(classes.resolve("dev/tfkeras/kernel"));
    Files.writeString(classes.resolve("dev/tfkeras/kernel/Main.class"), "main");
    Files.writeString(classes.resolve("log4j2.xml"), "<Configuration/>");
    Path repo = Files.createDirectories(dir.resolve("m2"));
    classpath =
        List.of(
            classes,
            jar(repo.resolve("jjava-jupyter-1.0-a6.jar"), "org/dflib/jjava/jupyter/kernel/BaseKernel.class"),
            jar(repo.resolve("gson-2.11.0.jar"), "com/google/gson/Gson.class"),
            jar(repo.resolve("tensorflow-core-native-1.1.0-" + platform + ".jar"), "native.so"),
            jar(repo.resolve("tensorflow-core-native-1.1.0-" + other() + ".jar"), "native.dll"),
            jar(repo.resolve("tensorflow-core-native-1.1.0.jar"), "org/tensorflow/Native.class"),
            repo.resolve("missing-1.0.jar"));
  }

  private String other() {
    return platform.equals("windows-x86_64") ? "linux-x86_64" : "windows-x86_64";
  }

  private static Path jar(Path path, String entry) throws IOException {
    try (var jar = new JarOutputStream(Files.newOutputStream(path))) {
      jar.putNextEntry(new JarEntry(entry));
      jar.write(entry.getBytes(StandardCharsets.UTF_8));
      jar.closeEntry();
    }
    return path;
  }

  private int run(String... args) {
    out.reset();
    err.reset();
    return KernelInstaller.run(
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        Map.of("JUPYTER_DATA_DIR", jupyter.toString(), "TFKERAS_DATA_DIR", dir.resolve("mnist").toString()),
        classpath,
        args);
  }

  private static List<String> names(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void installsAKernelspecWithItsOwnClassPath() throws IOException {
    assertEquals(0, run("install"), err.toString(StandardCharsets.UTF_8));
    Path kernel = jupyter.resolve("kernels/tfkeras-java");
    assertEquals(List.of("kernel.json", "lib"), names(kernel));
    assertEquals(
        List.of(
            "gson-2.11.0.jar",
            "jjava-jupyter-1.0-a6.jar",
            "tensorflow-core-native-1.1.0-" + platform + ".jar",
            "tensorflow-core-native-1.1.0.jar",
            "tfkeras-classes.jar"),
        names(kernel.resolve("lib")));
    try (var zip = new ZipFile(kernel.resolve("lib/tfkeras-classes.jar").toFile())) {
      assertEquals("main", new String(zip.getInputStream(zip.getEntry("dev/tfkeras/kernel/Main.class")).readAllBytes(), StandardCharsets.UTF_8));
      assertTrue(zip.getEntry("log4j2.xml") != null);
    }
    var spec = JsonParser.parseString(Files.readString(kernel.resolve("kernel.json"))).getAsJsonObject();
    assertEquals("Java (tfkeras)", spec.get("display_name").getAsString());
    assertEquals("java", spec.get("language").getAsString());
    assertEquals(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Djava.awt.headless=true",
            "-cp",
            kernel.resolve("lib") + java.io.File.separator + "*",
            "dev.tfkeras.kernel.Main",
            "{connection_file}"),
        spec.get("argv").getAsJsonArray().asList().stream().map(e -> e.getAsString()).toList());
    assertEquals(dir.resolve("mnist").toString(), spec.getAsJsonObject("env").get("TFKERAS_DATA_DIR").getAsString());
    assertEquals("2", spec.getAsJsonObject("env").get("TF_CPP_MIN_LOG_LEVEL").getAsString());
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.startsWith("Installed the Jupyter kernel 'Java (tfkeras)' (tfkeras-java) in " + kernel), text);
  }

  @Test
  void reinstallingReplacesAndUninstallRemoves() throws IOException {
    assertEquals(0, run("install"));
    assertEquals(0, run("install", "--display-name", "Java 17", "--data-dir", "elsewhere"));
    Path kernel = jupyter.resolve("kernels/tfkeras-java");
    assertEquals(List.of("tfkeras-java"), names(jupyter.resolve("kernels"))); // no staging or old copies left
    String json = Files.readString(kernel.resolve("kernel.json"));
    assertTrue(json.contains("\"display_name\": \"Java 17\""), json);
    assertTrue(json.contains(Path.of("elsewhere").toAbsolutePath().toString()), json);

    assertEquals(0, run("uninstall"));
    assertFalse(Files.exists(kernel));
    assertEquals("Removed the Jupyter kernel 'tfkeras-java' from " + kernel, out.toString(StandardCharsets.UTF_8).strip());
    assertEquals(0, run("uninstall"));
    assertEquals(
        "No kernel 'tfkeras-java' in " + jupyter.resolve("kernels") + ": nothing to remove.",
        out.toString(StandardCharsets.UTF_8).strip());
  }

  @Test
  void aPrefixAndANameChooseTheDirectory() throws IOException {
    Path venv = dir.resolve("venv");
    assertEquals(0, run("install", "--prefix", venv.toString(), "--name", "TFKeras-2"));
    assertTrue(Files.isRegularFile(venv.resolve("share/jupyter/kernels/tfkeras-2/kernel.json")));
    assertFalse(Files.exists(jupyter));
    assertEquals(0, run("uninstall", "--prefix", venv.toString(), "--name", "tfkeras-2"));
    assertEquals(List.of(), names(venv.resolve("share/jupyter/kernels")));
  }

  @Test
  void anotherKernelOfTheSameNameIsLeftAlone() throws IOException {
    Path python = Files.createDirectories(jupyter.resolve("kernels/tfkeras-java"));
    Files.writeString(python.resolve("kernel.json"), "{\"argv\": [\"python3\", \"-m\", \"ipykernel\"]}");
    assertEquals(1, run("install"));
    assertEquals(
        "kernel install: Will not replace " + python + ": it is not a tfkeras kernel (its kernel.json does not start"
            + " dev.tfkeras.kernel.Main). Choose another --name, or remove it with: jupyter kernelspec remove tfkeras-java",
        err.toString(StandardCharsets.UTF_8).strip());
    assertEquals(1, run("uninstall"));
    assertEquals(List.of("kernel.json"), names(python));
  }

  @Test
  void aClassPathWithoutTheKernelLibraryIsRefused() {
    classpath = classpath.stream().filter(p -> !p.getFileName().toString().startsWith("jjava")).toList();
    assertEquals(1, run("install"));
    assertEquals(
        "kernel install: The class path lacks JJava's Jupyter library (org.dflib.jjava:jjava-jupyter), which the"
            + " kernel needs. Run the installer through Maven, which supplies the kernel's class path: mvn -q compile"
            + " exec:exec@install-kernel",
        err.toString(StandardCharsets.UTF_8).strip());
    assertFalse(Files.exists(jupyter.resolve("kernels/tfkeras-java")));
  }

  @Test
  void badUsageExitsTwoWithTheUsage() {
    String[][] cases = {
      {}, {"instal"}, {"install", "--user"}, {"uninstall", "--display-name", "x"}, {"install", "--name"},
      {"install", "--name", "bad name"}
    };
    String[] first = {
      "Missing command: install or uninstall.",
      "Unknown command 'instal': expected install or uninstall.",
      "Unknown option '--user' for install.",
      "--display-name is an option of install, not of uninstall.",
      "--name needs a value.",
      "--name must be ASCII letters, digits, '.', '_' or '-' (not starting with '.'), as Jupyter's kernel names"
          + " are, received: 'bad name'."
    };
    for (int i = 0; i < cases.length; i++) {
      assertEquals(2, run(cases[i]), String.join(" ", cases[i]));
      String text = err.toString(StandardCharsets.UTF_8);
      assertEquals(first[i], text.lines().findFirst().orElseThrow());
      assertTrue(text.contains("Usage: KernelInstaller install"), text);
    }
    assertEquals(0, run("--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: KernelInstaller install"));
  }

  @Test
  void jupytersUserDataDirectoryPerSystem() {
    Path home = Path.of("/home/ada");
    assertEquals(Path.of("/j"), JupyterPaths.userDataDir(Map.of("JUPYTER_DATA_DIR", "/j"), "Linux", home));
    assertEquals(home.resolve(".local/share/jupyter"), JupyterPaths.userDataDir(Map.of(), "Linux", home));
    assertEquals(Path.of("/x/jupyter"), JupyterPaths.userDataDir(Map.of("XDG_DATA_HOME", "/x"), "Linux", home));
    assertEquals(home.resolve("Library/Jupyter"), JupyterPaths.userDataDir(Map.of(), "Mac OS X", home));
    assertEquals(Path.of("/appdata", "jupyter"), JupyterPaths.userDataDir(Map.of("APPDATA", "/appdata"), "Windows 11", home));
  }

  @Test
  void onlyThisPlatformsNativeJarsAreKept() {
    assertEquals("linux-x86_64", KernelInstaller.platform("Linux", "amd64"));
    assertEquals("macosx-arm64", KernelInstaller.platform("Mac OS X", "aarch64"));
    assertEquals("windows-x86_64", KernelInstaller.platform("Windows 10", "amd64"));
    assertTrue(KernelInstaller.keepJar("tensorflow-core-native-1.1.0-linux-x86_64.jar", "linux-x86_64"));
    assertTrue(KernelInstaller.keepJar("tensorflow-core-native-1.1.0-linux-x86_64-gpu.jar", "linux-x86_64"));
    assertFalse(KernelInstaller.keepJar("tensorflow-core-native-1.1.0-macosx-arm64.jar", "linux-x86_64"));
    assertFalse(KernelInstaller.keepJar("tensorflow-core-native-1.1.0-windows-x86_64.jar", "linux-x86_64"));
    assertTrue(KernelInstaller.keepJar("tensorflow-core-native-1.1.0.jar", "linux-x86_64"));
    assertTrue(KernelInstaller.keepJar("xchart-4.0.3.jar", "linux-x86_64"));
  }
}
