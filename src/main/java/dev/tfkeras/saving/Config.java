package dev.tfkeras.saving;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An object's configuration, as Keras's {@code get_config()} returns it: an ordered map from
 * Keras's key names ({@code "units"}, {@code "kernel_size"}, {@code "activation"}) to JSON values
 * (null, booleans, numbers, strings, lists and nested configs), the same in memory as in a {@code
 * .keras} file's {@code config.json}.
 *
 * <pre>{@code
 * Config config = dense.getConfig();          // {"name": "dense", "units": 10, ...}
 * Dense copy = Dense.fromConfig(config);      // an equal layer, with new weights
 * String json = config.toJson();
 * }</pre>
 *
 * <p>Readers ({@code fromConfig}) read keys with Keras's defaults through the typed getters; every
 * key read or {@linkplain #ignore accepted} is marked, and {@link #checkAllRead()} then names any
 * key left over, as Keras's {@code cls(**config)} refuses an unexpected keyword, so that a setting
 * tfkeras would silently drop fails instead. Equality compares contents (numbers by value: {@code
 * 1} equals {@code 1.0}), not what was read.
 */
public final class Config {

  private static final Gson COMPACT = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();
  private static final Gson PRETTY = new GsonBuilder().serializeNulls().disableHtmlEscaping().setPrettyPrinting().create();

  private final JsonObject json;
  private final Set<String> read = new LinkedHashSet<>();
  private String className;

  /** An empty config. */
  public Config() {
    this(new JsonObject());
  }

  private Config(JsonObject json) {
    this.json = json;
  }

  /**
   * Parses a config from JSON text (a JSON object).
   *
   * @throws IllegalArgumentException if the text is not a JSON object, naming what was found
   */
  public static Config fromJson(String text) {
    JsonElement element;
    try {
      element = JsonParser.parseString(text);
    } catch (JsonParseException e) {
      throw new IllegalArgumentException("Not valid JSON: " + e.getMessage(), e);
    }
    if (!element.isJsonObject()) {
      throw new IllegalArgumentException(
          "Expected a JSON object ({...}) for a config, received: " + abbreviate(element.toString()) + ".");
    }
    return new Config(element.getAsJsonObject());
  }

  /** This config as compact JSON, as Keras's {@code json.dumps} writes it into {@code config.json}. */
  public String toJson() {
    return COMPACT.toJson(json);
  }

  /** This config as indented JSON, for reading. */
  public String toPrettyJson() {
    return PRETTY.toJson(json);
  }

  /**
   * Names the class this config describes (e.g. {@code "Dense"}), used in error messages; returns
   * this config.
   */
  public Config describes(String className) {
    this.className = className;
    return this;
  }

  // ---------------------------------------------------------------- writing

  /**
   * Sets a key, replacing any value it had, and returns this config. Values: {@code null}, {@link
   * Boolean}, {@link Number}, {@link String}, {@link Enum} (its lower-case name), {@code int[]},
   * {@code long[]}, {@code float[]}, {@code double[]}, {@code boolean[]}, {@code String[]}, a
   * {@link List} or {@link Map} of these, a nested {@code Config}, or a {@link Configurable}
   * (written as {@link Serialization#serialize Keras serializes an object}: module, class_name,
   * config, registered_name).
   *
   * @throws IllegalArgumentException for any other value, naming the key and its type
   */
  public Config put(String key, Object value) {
    json.add(key, toElement(key, value));
    return this;
  }

  /** Sets each key to null (Keras's None), e.g. unset regularizers; returns this config. */
  public Config putNull(String... keys) {
    for (String key : keys) {
      json.add(key, JsonNull.INSTANCE);
    }
    return this;
  }

  /** Removes a key, returning its former value as {@link #get} would. */
  public Object remove(String key) {
    JsonElement removed = json.remove(key);
    return removed == null ? null : toJava(removed);
  }

  /** A deep copy, with nothing marked read. */
  public Config copy() {
    return new Config(json.deepCopy()).describes(className);
  }

  // ---------------------------------------------------------------- reading

  /** The keys, in order. */
  public Set<String> keys() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(json.keySet()));
  }

  /** The number of keys. */
  public int size() {
    return json.size();
  }

  /** Whether the key is present and not null; marks the key read. */
  public boolean has(String key) {
    return element(key) != null;
  }

  /** Whether the key is present (null or not), without marking it read. */
  public boolean containsKey(String key) {
    return json.has(key);
  }

  /**
   * The value as plain Java: null, {@link Boolean}, {@link Number}, {@link String}, {@code
   * List<Object>} or {@code Config}; marks the key read.
   */
  public Object get(String key) {
    JsonElement value = element(key);
    return value == null ? null : toJava(value);
  }

  /** The name ({@code "name"} key), or null; does not mark it read. */
  public String name() {
    JsonElement name = json.get("name");
    return name != null && name.isJsonPrimitive() ? name.getAsString() : null;
  }

  public int getInt(String key, int defaultValue) {
    JsonElement value = element(key);
    if (value == null) {
      return defaultValue;
    }
    Number number = number(key, value);
    if (number.doubleValue() != Math.rint(number.doubleValue())
        || Math.abs(number.doubleValue()) > Integer.MAX_VALUE) {
      throw invalid(key, value, "an integer");
    }
    return number.intValue();
  }

  public long getLong(String key, long defaultValue) {
    JsonElement value = element(key);
    if (value == null) {
      return defaultValue;
    }
    Number number = number(key, value);
    if (number.doubleValue() != Math.rint(number.doubleValue())) {
      throw invalid(key, value, "an integer");
    }
    return number.longValue();
  }

  /** A long, or null when absent or null (e.g. Keras's {@code seed=None}). */
  public Long getLongOrNull(String key) {
    return has(key) ? getLong(key, 0) : null;
  }

  public double getDouble(String key, double defaultValue) {
    JsonElement value = element(key);
    return value == null ? defaultValue : number(key, value).doubleValue();
  }

  public float getFloat(String key, float defaultValue) {
    return (float) getDouble(key, defaultValue);
  }

  public boolean getBoolean(String key, boolean defaultValue) {
    JsonElement value = element(key);
    if (value == null) {
      return defaultValue;
    }
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isBoolean()) {
      throw invalid(key, value, "true or false");
    }
    return value.getAsBoolean();
  }

  public String getString(String key, String defaultValue) {
    JsonElement value = element(key);
    if (value == null) {
      return defaultValue;
    }
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
      throw invalid(key, value, "a string");
    }
    return value.getAsString();
  }

  /**
   * An int or a list of ints (Keras's {@code kernel_size=3} or {@code [3, 3]}), as {@code n} ints.
   */
  public int[] getInts(String key, int n, int[] defaultValue) {
    JsonElement value = element(key);
    if (value == null) {
      return defaultValue;
    }
    if (value.isJsonPrimitive()) {
      int[] out = new int[n];
      Arrays.fill(out, getInt(key, 0));
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

  /** A list of integers; {@code null} entries (Keras's unknown sizes) become -1. Null if absent. */
  public long[] getLongs(String key) {
    JsonElement value = element(key);
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

  /** A list of numbers as doubles. Null if absent. */
  public double[] getDoubles(String key) {
    JsonElement value = element(key);
    if (value == null) {
      return null;
    }
    if (value.isJsonPrimitive()) {
      return new double[] {number(key, value).doubleValue()};
    }
    if (!value.isJsonArray()) {
      throw invalid(key, value, "a list of numbers");
    }
    JsonArray array = value.getAsJsonArray();
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = number(key, array.get(i)).doubleValue();
    }
    return out;
  }

  /** A list of strings. Null if absent. */
  public List<String> getStrings(String key) {
    JsonElement value = element(key);
    if (value == null) {
      return null;
    }
    if (!value.isJsonArray()) {
      throw invalid(key, value, "a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonElement e : value.getAsJsonArray()) {
      if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
        throw invalid(key, value, "a list of strings");
      }
      out.add(e.getAsString());
    }
    return out;
  }

  /** A nested config (a JSON object), or null when absent or null. */
  public Config getConfig(String key) {
    JsonElement value = element(key);
    if (value == null) {
      return null;
    }
    if (!value.isJsonObject()) {
      throw invalid(key, value, "an object ({...})");
    }
    return new Config(value.getAsJsonObject());
  }

  /** A list (JSON array) as plain Java values, or null when absent or null. */
  public List<Object> getList(String key) {
    JsonElement value = element(key);
    if (value == null) {
      return null;
    }
    if (!value.isJsonArray()) {
      throw invalid(key, value, "a list");
    }
    List<Object> out = new ArrayList<>();
    value.getAsJsonArray().forEach(e -> out.add(toJava(e)));
    return out;
  }

  /** This config as an unmodifiable map of plain Java values (see {@link #get}). */
  public Map<String, Object> asMap() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> e : json.entrySet()) {
      out.put(e.getKey(), toJava(e.getValue()));
    }
    return Collections.unmodifiableMap(out);
  }

  // ---------------------------------------------------------------- checks for readers

  /** Marks keys whose values do not change the object built (e.g. Keras's bookkeeping keys). */
  public void ignore(String... keys) {
    read.addAll(Arrays.asList(keys));
  }

  /**
   * Keys tfkeras does not support a value for: accepted when absent or null (Keras's default),
   * refused otherwise, naming the object, the key and its value.
   */
  public void requireDefault(String... keys) {
    for (String key : keys) {
      JsonElement value = element(key);
      if (value != null) {
        throw new IllegalArgumentException(
            owner() + " sets `" + key + "`=" + abbreviate(value.toString()) + ", which tfkeras does"
                + " not support yet; only the default (null) is accepted.");
      }
    }
  }

  /** Keys that must have one given string value (e.g. {@code data_format} {@code channels_last}). */
  public void requireValue(String key, String expected) {
    String value = getString(key, expected);
    if (!value.equals(expected)) {
      throw new IllegalArgumentException(
          owner() + " has " + key + "='" + value + "'; tfkeras supports only " + key + "='" + expected + "'.");
    }
  }

  /** Fails naming every key that no reader read or accepted, with the keys that are known. */
  public void checkAllRead() {
    Set<String> unknown = new LinkedHashSet<>(json.keySet());
    unknown.removeAll(read);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          owner() + " has config key(s) " + unknown + " that tfkeras does not know"
              + (className == null ? "" : " for " + className) + "; known keys: " + read + ". A file from"
              + " a newer Keras may add settings: they need support here before it can be read.");
    }
  }

  /**
   * An error for a key whose value is not one tfkeras accepts, naming the object, the key, what was
   * expected and what was received.
   */
  public IllegalArgumentException invalid(String key, String expected) {
    JsonElement value = json.get(key);
    return invalid(key, value == null ? JsonNull.INSTANCE : value, expected);
  }

  /** "Layer 'dense_1' (Dense)", "Dense" or "Config", as errors name the object. */
  public String owner() {
    String name = name();
    if (name != null) {
      return "'" + name + "'" + (className == null ? "" : " (" + className + ")");
    }
    return className == null ? "Config" : className;
  }

  // ---------------------------------------------------------------- equality

  @Override
  public boolean equals(Object other) {
    return other instanceof Config c && json.equals(c.json);
  }

  @Override
  public int hashCode() {
    return hash(json);
  }

  /** Consistent with Gson's equality, which compares numbers by value (1 equals 1.0). */
  private static int hash(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return 0;
    }
    if (e.isJsonObject()) {
      int h = 1;
      for (Map.Entry<String, JsonElement> entry : e.getAsJsonObject().entrySet()) {
        h += entry.getKey().hashCode() ^ hash(entry.getValue());
      }
      return h;
    }
    if (e.isJsonArray()) {
      int h = 1;
      for (JsonElement item : e.getAsJsonArray()) {
        h = 31 * h + hash(item);
      }
      return h;
    }
    JsonPrimitive p = e.getAsJsonPrimitive();
    return p.isNumber() ? Double.hashCode(p.getAsDouble()) : p.hashCode();
  }

  @Override
  public String toString() {
    return toJson();
  }

  // ---------------------------------------------------------------- internals

  private JsonElement element(String key) {
    read.add(key);
    JsonElement value = json.get(key);
    return value == null || value.isJsonNull() ? null : value;
  }

  private Number number(String key, JsonElement value) {
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
      throw invalid(key, value, "a number");
    }
    return value.getAsNumber();
  }

  private IllegalArgumentException invalid(String key, JsonElement value, String expected) {
    return new IllegalArgumentException(
        owner() + ": `" + key + "` should be " + expected + ", received: " + abbreviate(value.toString()) + ".");
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }

  private static Object toJava(JsonElement value) {
    if (value == null || value.isJsonNull()) {
      return null;
    }
    if (value.isJsonObject()) {
      return new Config(value.getAsJsonObject());
    }
    if (value.isJsonArray()) {
      List<Object> out = new ArrayList<>();
      value.getAsJsonArray().forEach(e -> out.add(toJava(e)));
      return Collections.unmodifiableList(out);
    }
    JsonPrimitive p = value.getAsJsonPrimitive();
    if (p.isBoolean()) {
      return p.getAsBoolean();
    }
    if (p.isString()) {
      return p.getAsString();
    }
    Number n = p.getAsNumber();
    double d = n.doubleValue();
    if (d == Math.rint(d) && !n.toString().contains(".") && !n.toString().contains("e")
        && !n.toString().contains("E") && Math.abs(d) < 9.0e15) {
      return n.longValue();
    }
    return d;
  }

  private static JsonElement toElement(String key, Object value) {
    if (value == null) {
      return JsonNull.INSTANCE;
    }
    if (value instanceof Config c) {
      return c.json.deepCopy();
    }
    if (value instanceof Configurable c) {
      return Serialization.serialize(c).json.deepCopy();
    }
    if (value instanceof Boolean b) {
      return new JsonPrimitive(b);
    }
    if (value instanceof Number n) {
      if ((n instanceof Double || n instanceof Float) && !Double.isFinite(n.doubleValue())) {
        throw new IllegalArgumentException(
            "Config key `" + key + "`: " + n + " cannot be written as JSON; expected a finite number.");
      }
      if (n instanceof Float f) {
        // the float's shortest decimal (0.1f as 0.1), as Python would print the value Keras holds
        return new JsonPrimitive(Double.parseDouble(Float.toString(f)));
      }
      return new JsonPrimitive(n);
    }
    if (value instanceof String s) {
      return new JsonPrimitive(s);
    }
    if (value instanceof Enum<?> e) {
      return new JsonPrimitive(e.name().toLowerCase(java.util.Locale.ROOT));
    }
    JsonArray array = new JsonArray();
    if (value instanceof int[] a) {
      Arrays.stream(a).forEach(array::add);
    } else if (value instanceof long[] a) {
      Arrays.stream(a).forEach(array::add);
    } else if (value instanceof double[] a) {
      for (double d : a) {
        array.add(toElement(key, d));
      }
    } else if (value instanceof float[] a) {
      for (float f : a) {
        array.add(toElement(key, f));
      }
    } else if (value instanceof boolean[] a) {
      for (boolean b : a) {
        array.add(b);
      }
    } else if (value instanceof String[] a) {
      Arrays.stream(a).forEach(array::add);
    } else if (value instanceof Iterable<?> list) {
      list.forEach(v -> array.add(toElement(key, v)));
    } else if (value instanceof Map<?, ?> map) {
      JsonObject object = new JsonObject();
      map.forEach((k, v) -> object.add(String.valueOf(k), toElement(key, v)));
      return object;
    } else {
      throw new IllegalArgumentException(
          "Config key `" + key + "`: a " + value.getClass().getName() + " has no JSON form; expected"
              + " null, a boolean, number, string, array, list, map, Config or Configurable.");
    }
    return array;
  }
}
