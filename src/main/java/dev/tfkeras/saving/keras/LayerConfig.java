package dev.tfkeras.saving.keras;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One layer's Keras config ({@code {"class_name": "Dense", "config": {"units": 10, ...}}}) read
 * by its Keras key names, with Keras 3's defaults. Every key read or accepted is marked; {@link
 * #checkAllRead()} then names any key left over, so that a setting tfkeras would silently drop
 * fails the load instead.
 */
public final class LayerConfig {

  private final String className;
  private final JsonObject config;
  private final Set<String> read = new LinkedHashSet<>();

  LayerConfig(String className, JsonObject config) {
    this.className = className;
    this.config = config;
  }

  /** Keras's class name, e.g. {@code Conv2D}. */
  public String className() {
    return className;
  }

  /** The layer's name in the file, e.g. {@code conv2d_1}. */
  public String name() {
    JsonElement name = config.get("name");
    return name == null || name.isJsonNull() ? null : name.getAsString();
  }

  private JsonElement get(String key) {
    read.add(key);
    JsonElement value = config.get(key);
    return value == null || value.isJsonNull() ? null : value;
  }

  /** Whether the key is present and not null. */
  public boolean has(String key) {
    return get(key) != null;
  }

  public int getInt(String key, int defaultValue) {
    JsonElement value = get(key);
    return value == null ? defaultValue : number(key, value).intValue();
  }

  public double getDouble(String key, double defaultValue) {
    JsonElement value = get(key);
    return value == null ? defaultValue : number(key, value).doubleValue();
  }

  public boolean getBoolean(String key, boolean defaultValue) {
    JsonElement value = get(key);
    if (value == null) {
      return defaultValue;
    }
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isBoolean()) {
      throw invalid(key, value, "true or false");
    }
    return value.getAsBoolean();
  }

  public String getString(String key, String defaultValue) {
    JsonElement value = get(key);
    if (value == null) {
      return defaultValue;
    }
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
      throw invalid(key, value, "a string");
    }
    return value.getAsString();
  }

  /** An int or a list of ints (Keras's {@code kernel_size=3} or {@code [3, 3]}), as {@code n} ints. */
  public int[] getInts(String key, int n, int[] defaultValue) {
    JsonElement value = get(key);
    if (value == null) {
      return defaultValue;
    }
    if (value.isJsonPrimitive()) {
      int[] out = new int[n];
      java.util.Arrays.fill(out, number(key, value).intValue());
      return out;
    }
    long[] values = getLongs(key);
    if (values.length != n) {
      throw invalid(key, value, n + " integers");
    }
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = Math.toIntExact(values[i]);
    }
    return out;
  }

  /** A list of ints; {@code null} entries (Keras's unknown sizes) become -1. Null if absent. */
  public long[] getLongs(String key) {
    JsonElement value = get(key);
    if (value == null) {
      return null;
    }
    if (!value.isJsonArray()) {
      throw invalid(key, value, "a list of integers");
    }
    JsonArray array = value.getAsJsonArray();
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      JsonElement e = array.get(i);
      out[i] = e.isJsonNull() ? -1 : number(key, e).longValue();
    }
    return out;
  }

  /** The raw value, or null. */
  public JsonElement getElement(String key) {
    return get(key);
  }

  /** Marks keys whose values do not change the loaded model (e.g. initializers, overwritten by the weights). */
  public void ignore(String... keys) {
    for (String key : keys) {
      read.add(key);
    }
  }

  /**
   * Keys that tfkeras does not read yet: accepted when absent or null (Keras's default), refused
   * otherwise with a message naming the layer, the key and its value.
   */
  public void requireDefault(String... keys) {
    for (String key : keys) {
      JsonElement value = get(key);
      if (value != null) {
        throw new IllegalArgumentException(
            "Layer '" + name() + "' (" + className + ") sets `" + key + "`=" + value + ", which tfkeras"
                + " does not read from Keras files yet; only the default (null) is supported.");
      }
    }
  }

  /** Keys that must have one given value (e.g. {@code data_format} {@code channels_last}). */
  public void requireValue(String key, String expected) {
    String value = getString(key, expected);
    if (!value.equals(expected)) {
      throw new IllegalArgumentException(
          "Layer '" + name() + "' (" + className + ") has " + key + "='" + value + "'; tfkeras reads"
              + " only " + key + "='" + expected + "'.");
    }
  }

  /** Fails naming every key of the config that no builder read or accepted. */
  public void checkAllRead() {
    Set<String> unknown = new LinkedHashSet<>(config.keySet());
    unknown.removeAll(read);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "Layer '" + name() + "' (" + className + ") has config key(s) " + unknown + " that tfkeras"
              + " does not know for " + className + "; known keys: " + read + ". A file from a newer"
              + " Keras may add settings: they need support here before the layer can be read.");
    }
  }

  private Number number(String key, JsonElement value) {
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
      throw invalid(key, value, "a number");
    }
    return value.getAsNumber();
  }

  private IllegalArgumentException invalid(String key, JsonElement value, String expected) {
    return new IllegalArgumentException(
        "Layer '" + name() + "' (" + className + "): `" + key + "` should be " + expected
            + ", received: " + value + ".");
  }
}
