package dev.tfkeras.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * TensorFlow's thread settings and XLA measured against its defaults. Thread pools belong to the
 * process and are created by its first session, so each setting runs {@link SideBySideBenchmark}
 * in a child JVM of its own; the settings alternate round by round, so that the machine's drift
 * falls on all of them. Prints, per setting and mode, the median of the rounds' medians and its
 * ratio to the default setting's raw TensorFlow Java loop.
 *
 * <p>Run (see benchmarks/README.md): {@code java -cp target/test-classes:target/classes:$(cat cp.txt)
 * dev.tfkeras.bench.SessionOptionsBenchmark [steps, default 300] [rounds, default 3] [models: seed,
 * convnet...]}
 */
public final class SessionOptionsBenchmark {

  private static final Map<String, List<String>> SETTINGS = new LinkedHashMap<>();

  static {
    SETTINGS.put("TensorFlow's defaults", List.of());
    SETTINGS.put("inter-op 1", List.of("--inter", "1"));
    SETTINGS.put("intra-op 1, inter-op 1", List.of("--intra", "1", "--inter", "1"));
    SETTINGS.put("XLA (tfkeras modes)", List.of("--jit"));
  }

  private static final List<String> MODES = List.of("raw TensorFlow Java", "tfkeras custom loop", "tfkeras fit");

  public static void main(String[] args) throws IOException, InterruptedException {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    List<String> models = args.length > 2 ? Arrays.asList(args).subList(2, args.length) : List.of("seed", "convnet", "lstm");
    for (String model : models) {
      // setting -> mode -> medians of the rounds
      Map<String, Map<String, List<Double>>> medians = new LinkedHashMap<>();
      for (int round = 0; round < rounds; round++) {
        List<String> names = new ArrayList<>(SETTINGS.keySet());
        java.util.Collections.rotate(names, -round);
        for (String setting : names) {
          Map<String, Double> run = child(steps, model, SETTINGS.get(setting));
          System.out.printf(Locale.ROOT, "round %d, %s, %s: %s%n", round + 1, model, setting, run);
          run.forEach((mode, ms) ->
              medians.computeIfAbsent(setting, s -> new LinkedHashMap<>()).computeIfAbsent(mode, m -> new ArrayList<>()).add(ms));
        }
      }
      double base = median(medians.get("TensorFlow's defaults").get(MODES.get(0)));
      System.out.printf(Locale.ROOT, "%n%s: median of %d rounds' median ms/step (ratio to the raw loop with TensorFlow's defaults)%n",
          model, rounds);
      System.out.printf(Locale.ROOT, "%-24s %24s %24s %24s%n", "setting", MODES.get(0), MODES.get(1), MODES.get(2));
      medians.forEach((setting, byMode) -> {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-24s", setting));
        for (String mode : MODES) {
          double m = median(byMode.get(mode));
          line.append(String.format(Locale.ROOT, " %15.2f (%5.3f)", m, m / base));
        }
        System.out.println(line);
      });
    }
  }

  /** Runs one round of the side-by-side benchmark in a child JVM; returns median ms per mode. */
  private static Map<String, Double> child(int steps, String model, List<String> options)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        SideBySideBenchmark.class.getName(), Integer.toString(steps), model, "--rounds", "1"));
    command.addAll(options);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "2");
    Process process = builder.start();
    Map<String, Double> result = new LinkedHashMap<>();
    List<String> output = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        output.add(line);
        for (String mode : MODES) {
          if (line.startsWith(mode)) {
            result.put(mode, Double.parseDouble(line.substring(mode.length()).trim().split("\\s+")[0]));
          }
        }
      }
    }
    int exit = process.waitFor();
    if (exit != 0 || result.size() != MODES.size()) {
      throw new IllegalStateException(
          "The benchmark run " + command + " failed (exit code " + exit + "):\n" + String.join("\n", output));
    }
    return result;
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  }
}
