package dev.tfkeras.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/** Keras's distributed_file_utils paths: the chief's given path, another task's temporary one. */
class DistributedFilesTest {

  @TempDir Path dir;
  private final GraphRuntime chief = GraphRuntime.distributed(new Task(true, 0));
  private final GraphRuntime worker = GraphRuntime.distributed(new Task(false, 2));

  @AfterEach
  void close() {
    chief.close();
    worker.close();
  }

  /** Only what DistributedFiles asks of a task: whether it checkpoints, and its device. */
  private record Task(boolean chief, int index) implements Distribution {
    @Override
    public boolean shouldCheckpoint() {
      return chief;
    }

    @Override
    public DeviceSpec taskDevice() {
      return DeviceSpec.newBuilder().job("worker").task(index).build();
    }

    @Override
    public Ops placeVariable(Ops scope) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Session openSession(Graph graph) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Result run(GraphRuntime runtime, Session.Runner runner) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Op synchronize(
        Ops tf, List<Operand<TFloat32>> gradients, List<Output<TFloat32>> variables,
        Operand<TInt64> step, Function<List<Operand<TFloat32>>, Op> apply) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void theChiefAndALoneProcessWriteWhereTheyAreTold() {
    Path file = dir.resolve("ckpt").resolve("model.keras");
    assertEquals(file, DistributedFiles.writeFilePath(null, file));
    assertEquals(dir, DistributedFiles.writeDirPath(chief, dir));
    assertEquals(file, DistributedFiles.writeFilePath(chief, file));
    assertTrue(DistributedFiles.shouldCheckpoint(chief));
  }

  @Test
  void anotherWorkerWritesIntoWorkertempOfItsTaskIndexWhichIsThenDeleted() throws IOException {
    assertFalse(DistributedFiles.shouldCheckpoint(worker));
    Path temp = DistributedFiles.writeDirPath(worker, dir);
    assertEquals(dir.resolve("workertemp_2"), temp, "Keras's write_dirpath");
    assertTrue(Files.isDirectory(temp), "created");
    Path file = DistributedFiles.writeFilePath(worker, dir.resolve("model.keras"));
    assertEquals(dir.resolve("workertemp_2").resolve("model.keras"), file, "Keras's write_filepath");
    Files.createDirectories(file.resolve("inner"));
    Files.writeString(file.resolve("inner/weights.npz"), "x");
    DistributedFiles.removeTempFilePath(worker, dir.resolve("model.keras"));
    assertFalse(Files.exists(temp), "Keras's remove_temp_dirpath deletes the whole temporary directory");
    try (var left = Files.list(dir)) {
      assertEquals(List.of(), left.toList());
    }
  }
}
