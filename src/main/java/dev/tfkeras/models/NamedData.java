package dev.tfkeras.models;

import dev.tfkeras.data.Dataset;
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

  /**
   * {@code data} itself unless its features are named ({@link Dataset#withFeatureNames}); then its
   * features of the model's input {@code names}, in that order, as Keras feeds a dict of features
   * (features no input takes are left out, as Keras ignores their keys).
   *
   * @throws IllegalArgumentException naming a model input the dataset has no feature for, or if
   *     the model's inputs have no names and the dataset has several features
   */
  static Dataset inOrder(Dataset data, List<String> names) {
    List<String> features = data.featureNames();
    if (features.isEmpty()) {
      return data;
    }
    if (names.isEmpty()) {
      if (features.size() == 1) {
        return data;
      }
      throw new IllegalArgumentException(
          "Received a dataset of named features " + quoted(features) + ", but the model's inputs"
              + " have no names: build a functional model on named inputs (Input.named(...)) or"
              + " order the features yourself with dataset.selectFeatures(...).");
    }
    for (String name : names) {
      if (!features.contains(name)) {
        throw new IllegalArgumentException(
            "Missing data for input '" + name + "'. The model's inputs are " + quoted(names)
                + ", the dataset's features are " + quoted(features) + ".");
      }
    }
    return data.selectFeatures(names);
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
