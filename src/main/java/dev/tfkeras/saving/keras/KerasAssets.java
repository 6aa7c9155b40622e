package dev.tfkeras.saving.keras;

import dev.tfkeras.layers.Layer;
import dev.tfkeras.layers.preprocessing.IndexLookup;
import dev.tfkeras.layers.preprocessing.TextVectorization;
import dev.tfkeras.models.Model;
import dev.tfkeras.saving.Configurable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The {@code assets/} tree of a {@code .keras} file, as Keras 3's {@code save_assets} fills it:
 * each lookup layer's {@code vocabulary.txt} (one token a line, special tokens first) at {@code
 * assets/<layer path>/vocabulary.txt}, the layer path being that of its variables ({@code
 * layers/string_lookup}); a TextVectorization's both there and at its wrapped StringLookup's
 * {@code <layer path>/_lookup_layer}, as Keras walks that attribute too. As in Keras, a layer whose
 * vocabulary was given as an argument keeps it in its config and writes no asset. The files are
 * written and read by the layers' own {@link Layer#saveAssets}/{@link Layer#loadAssets}.
 */
final class KerasAssets {

  static final String ROOT = "assets/";

  private KerasAssets() {}

  /** The asset files of {@code model}'s layers, by their name in the zip. */
  static Map<String, byte[]> write(Model model) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    Path temp = Files.createTempDirectory("tfkeras-assets-");
    try {
      for (KerasWeights.Entry entry : lookups(model)) {
        String base = base(entry);
        Path dir = temp.resolve(base);
        entry.layer().saveAssets(dir);
        if (!Files.isDirectory(dir)) {
          continue;
        }
        try (Stream<Path> files = Files.list(dir)) {
          for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
            out.put(ROOT + base + "/" + file.getFileName(), Files.readAllBytes(file));
          }
        }
      }
    } finally {
      delete(temp);
    }
    return out;
  }

  /**
   * Gives each lookup layer of {@code model} its files of {@code assets} (by their name in the
   * zip), after the weights, as Keras loads assets.
   *
   * @throws KerasFormatException naming the file, the member and the layer when a vocabulary the
   *     config announces (by its {@code vocabulary_size}) is missing or damaged
   */
  static void read(Model model, Map<String, byte[]> assets, Path file) throws KerasFormatException {
    for (KerasWeights.Entry entry : lookups(model)) {
      String prefix = ROOT + base(entry) + "/";
      boolean known = ((Configurable) entry.layer()).getConfig().get("vocabulary_size") != null;
      if (known && assets.keySet().stream().noneMatch(name -> name.startsWith(prefix))) {
        throw new KerasFormatException(
            file + " lacks " + prefix + IndexLookup.VOCABULARY_FILE + ", the vocabulary of layer '"
                + entry.layer().name() + "' (" + KerasWeights.className(entry.layer()) + ", whose config"
                + " gives only its size). Save the model again with its vocabulary, or give the layer"
                + " its vocabulary in the config.");
      }
      try {
        Path dir = Files.createTempDirectory("tfkeras-assets-");
        try {
          for (Map.Entry<String, byte[]> asset : assets.entrySet()) {
            String rest = asset.getKey().startsWith(prefix) ? asset.getKey().substring(prefix.length()) : "";
            if (!rest.isEmpty() && !rest.contains("/")) {
              Files.write(dir.resolve(rest), asset.getValue());
            }
          }
          entry.layer().loadAssets(dir);
        } finally {
          delete(dir);
        }
      } catch (IOException e) {
        throw new KerasFormatException(
            file + ": the assets of layer '" + entry.layer().name() + "' (" + prefix + "): " + e.getMessage(), e);
      }
    }
  }

  /** The lookup layers whose vocabulary is an asset, with the paths of their variables. */
  private static List<KerasWeights.Entry> lookups(Model model) {
    List<KerasWeights.Entry> out = new ArrayList<>();
    for (KerasWeights.Entry entry : KerasWeights.entries(model)) {
      Layer layer = entry.layer();
      if ((layer instanceof IndexLookup<?, ?> || layer instanceof TextVectorization)
          && ((Configurable) layer).getConfig().get("vocabulary") == null) {
        out.add(entry);
      }
    }
    return out;
  }

  /** The layer's path: that of its variables without {@code /vars}. */
  private static String base(KerasWeights.Entry entry) {
    return entry.path().substring(0, entry.path().lastIndexOf("/vars"));
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
