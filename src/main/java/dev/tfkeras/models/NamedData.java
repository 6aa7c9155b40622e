package dev.tfkeras.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keras's dict-keyed data and compile arguments, {@code fit({"title": ..., "body": ...},
 * {"priority": ...})}: a {@code Map} keyed by input or output names, put in the model's order.
 */
final class NamedData {

  private NamedData() {}

  /**
   * {@code data} itself unless it is a {@code Map}; then its values in the order of {@code names}
   * (a single value alone), every name present and no other key.
   *
   * @param what {@code "input"} or {@code "output"}, for messages
   * @throws IllegalArgumentException naming a missing or unknown key and the names there are
   */
  static Object inOrder(Object data, List<String> names, String what) {
    if (!(data instanceof Map<?, ?> map)) {
      return data;
    }
    List<Object> ordered = ordered(map, names, what);
    return ordered.size() == 1 ? ordered.get(0) : ordered;
  }

  /** The values of {@code map} in the order of {@code names}, checked as {@link #inOrder}. */
  static <V> List<V> ordered(Map<?, ? extends V> map, List<String> names, String what) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException(
          "Received " + what + " data keyed by name (" + map.keySet() + "), but the model's " + what
              + "s have no names: a functional model (Model.of) or a Sequential with an Input names"
              + " them. Pass the " + what + "s as a List in the model's order instead.");
    }
    for (Object key : map.keySet()) {
      if (!(key instanceof String name) || !names.contains(name)) {
        throw new IllegalArgumentException(
            "Unknown " + what + " name '" + key + "' in the data. The model's " + what + "s are "
                + quoted(names) + "; key the data by these names.");
      }
    }
    List<V> ordered = new ArrayList<>();
    for (String name : names) {
      if (!map.containsKey(name)) {
        throw new IllegalArgumentException(
            "Missing data for " + what + " '" + name + "'. The model's " + what + "s are "
                + quoted(names) + ", received keys " + quoted(map.keySet().stream().map(String::valueOf).toList())
                + ".");
      }
      ordered.add(map.get(name));
    }
    return ordered;
  }

  private static String quoted(List<String> names) {
    return names.stream().map(n -> "'" + n + "'").toList().toString();
  }
}
