package dev.tfkeras.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The wrapper that mvn exec:exec runs the demo through (src/main/scripts/quiet-native-logs.sh). */
class QuietNativeLogsScriptTest {

  private static final Path SCRIPT = Path.of("src/main/scripts/quiet-native-logs.sh");

  private record Run(int status, String out, String err) {}

  private static Run run(String shellCommand) throws IOException, InterruptedException {
    assumeTrue(Files.isRegularFile(SCRIPT) && Files.isExecutable(Path.of("/bin/bash")), "needs bash and the script");
    Process process = new ProcessBuilder("bash", SCRIPT.toString(), "sh", "-c", shellCommand).start();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    return new Run(
        process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void dropsTheTwoAbslLinesKeepsTheRestAndShowsANonZeroExitCode() throws Exception {
    Run run = run(
        "echo 'WARNING: All log messages before absl::InitializeLog() is called are written to STDERR' >&2;"
            + " echo 'I0000 00:00:1796065235.236115    5699 mlir_graph_optimization_pass.cc:401] MLIR V1"
            + " optimization pass is not enabled' >&2;"
            + " echo 'Unknown option: --bad' >&2; echo usage; exit 2");
    assertEquals(2, run.status());
    assertEquals("usage\n", run.out());
    assertEquals(List.of("Unknown option: --bad", "exit code 2"), run.err().lines().toList());
  }

  @Test
  void aSuccessAddsNothing() throws Exception {
    Run run = run("echo done");
    assertEquals(new Run(0, "done\n", ""), run);
  }

  @Test
  void mavenTreatsTheDemosCodesAsSuccessSoItPrintsNoStackTrace() throws IOException {
    String pom = Files.readString(Path.of("pom.xml"));
    String exec = pom.substring(pom.indexOf("<artifactId>exec-maven-plugin</artifactId>"));
    assertTrue(exec.contains("src/main/scripts/quiet-native-logs.sh"), "the demo runs through the script");
    for (int code = 0; code <= 2; code++) {
      assertTrue(exec.contains("<successCode>" + code + "</successCode>"), "success code " + code);
    }
  }
}
