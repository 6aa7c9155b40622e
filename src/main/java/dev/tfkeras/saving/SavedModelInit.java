package dev.tfkeras.saving;

import dev.tfkeras.io.FileErrors;
import dev.tfkeras.io.PartFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * Gives a SavedModel an init op: the {@code __saved_model_init_op} signature that TensorFlow's
 * loaders (C++, Python's {@code tf.saved_model.load}, TensorFlow Java's {@code SavedModelBundle},
 * TensorFlow Serving) run once after restoring the variables. TensorFlow Java's exporter writes
 * none, and a graph whose lookup tables are filled from the host needs one to fill them again.
 */
public final class SavedModelInit {

  /** TensorFlow's {@code tf.saved_model.INIT_OP_SIGNATURE_KEY}, also the signature's output key. */
  public static final String KEY = "__saved_model_init_op";

  private SavedModelInit() {}

  /**
   * Rewrites {@code exportDirectory/saved_model.pb} (atomically) so that every meta graph runs the
   * op named {@code opName} when loaded, as Python's exporter records its init op: an output
   * naming the op itself, without a port.
   *
   * @throws IOException naming the file if it cannot be read or written
   */
  public static void register(Path exportDirectory, String opName) throws IOException {
    Path file = exportDirectory.resolve("saved_model.pb");
    SavedModel model;
    try {
      model = SavedModel.parseFrom(Files.readAllBytes(file));
    } catch (IOException e) {
      throw FileErrors.explain(e, "read the SavedModel", file);
    }
    SignatureDef init =
        SignatureDef.newBuilder().putOutputs(KEY, TensorInfo.newBuilder().setName(opName).build()).build();
    SavedModel.Builder updated = model.toBuilder().clearMetaGraphs();
    for (MetaGraphDef graph : model.getMetaGraphsList()) {
      updated.addMetaGraphs(graph.toBuilder().putSignatureDef(KEY, init));
    }
    try (PartFile part = PartFile.create(file)) {
      try (OutputStream out = part.output()) {
        updated.build().writeTo(out);
      }
      part.commit();
    } catch (IOException e) {
      throw FileErrors.explain(e, "write the SavedModel", file);
    }
  }
}
