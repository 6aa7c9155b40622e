package dev.tfkeras.saving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.constraints.Constraint;
import dev.tfkeras.constraints.MaxNorm;
import dev.tfkeras.constraints.MinMaxNorm;
import dev.tfkeras.constraints.NonNeg;
import dev.tfkeras.constraints.UnitNorm;
import dev.tfkeras.initializers.Constant;
import dev.tfkeras.initializers.GlorotNormal;
import dev.tfkeras.initializers.GlorotUniform;
import dev.tfkeras.initializers.HeNormal;
import dev.tfkeras.initializers.HeUniform;
import dev.tfkeras.initializers.Identity;
import dev.tfkeras.initializers.Initializer;
import dev.tfkeras.initializers.LecunNormal;
import dev.tfkeras.initializers.LecunUniform;
import dev.tfkeras.initializers.Ones;
import dev.tfkeras.initializers.Orthogonal;
import dev.tfkeras.initializers.RandomNormal;
import dev.tfkeras.initializers.RandomUniform;
import dev.tfkeras.initializers.TruncatedNormal;
import dev.tfkeras.initializers.VarianceScaling;
import dev.tfkeras.initializers.Zeros;
import dev.tfkeras.regularizers.L1;
import dev.tfkeras.regularizers.L1L2;
import dev.tfkeras.regularizers.L2;
import dev.tfkeras.regularizers.Regularizer;
import dev.tfkeras.testing.ClassWalk;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Serialized initializers, regularizers and constraints: Keras's keys and values (from its
 * tests), and a round trip {@code fromConfig(getConfig())} of every class of the three packages.
 */
class SerializationTest {

  /** One instance per class, with settings other than the defaults where the class has any. */
  private static List<Configurable> samples() {
    return List.of(
        new Zeros(), new Ones(), Constant.of(0.5), Constant.values(1f, 2f, 3f), new Identity(2.0),
        new GlorotUniform(7), new GlorotUniform(), new GlorotNormal(7), new HeNormal(3), new HeUniform(),
        new LecunNormal(1), new LecunUniform(2), new RandomNormal(1.0, 0.5, 9), new RandomUniform(-1, 1),
        new TruncatedNormal(0.0, 2.0, 4), new Orthogonal(1.5, 11L),
        new VarianceScaling(2.0, VarianceScaling.Mode.FAN_OUT, VarianceScaling.Distribution.UNIFORM, 5),
        new L1(0.1), new L2(0.02), new L1L2(0.01, 0.02),
        new MaxNorm(3.0, 1), new MinMaxNorm(0.5, 2.0, 0.9, 0, 1), new NonNeg(), new UnitNorm(1));
  }

  @Test
  void everyClassRoundTrips() {
    Set<Class<?>> covered = new LinkedHashSet<>();
    for (Configurable sample : samples()) {
      Config config = sample.getConfig();
      Class<?> family = sample instanceof Initializer ? Initializer.class
          : sample instanceof Regularizer ? Regularizer.class : Constraint.class;
      Object copy = Serialization.deserialize(Serialization.serialize(sample), family);
      assertSame(sample.getClass(), copy.getClass(), sample.toString());
      assertEquals(config, ((Configurable) copy).getConfig(), sample.toString());
      assertEquals(config, Config.fromJson(config.toJson()), sample.toString());
      covered.add(sample.getClass());
    }
    List<Class<?>> missing = new ArrayList<>();
    for (String pkg : List.of("dev.tfkeras.initializers", "dev.tfkeras.regularizers", "dev.tfkeras.constraints")) {
      for (Class<?> c : ClassWalk.concreteSubtypes(Configurable.class, pkg)) {
        if (!covered.contains(c)) {
          missing.add(c);
        }
      }
    }
    assertEquals(List.of(), missing, "classes without a round-trip sample");
  }

  @Test
  void kerasKeysAndValues() {
    // keras/src/constraints/constraints_test.py
    assertEquals(Config.fromJson("{\"max_value\": 3.0, \"axis\": 1}"), new MaxNorm(3.0, 1).getConfig());
    assertEquals(Config.fromJson("{\"axis\": 1}"), new UnitNorm(1).getConfig());
    assertEquals(new Config(), new NonNeg().getConfig());
    // keras/src/regularizers/regularizers_test.py test_l1l2_get_config
    assertEquals(Config.fromJson("{\"l1\": 0.01, \"l2\": 0.02}"), new L1L2(0.01, 0.02).getConfig());
    // Keras 3 writes {"seed": null} for an unseeded GlorotUniform (a real Keras 3.11 config.json)
    assertEquals("{\"seed\":null}", new GlorotUniform().getConfig().toJson());
    assertEquals(Config.fromJson("{\"seed\": 1337, \"mean\": 0.0, \"stddev\": 1.0}"),
        new RandomNormal(0.0, 1.0, 1337).getConfig());
    assertEquals(
        Config.fromJson("{\"seed\": null, \"scale\": 1.0, \"mode\": \"fan_in\", \"distribution\": \"truncated_normal\"}"),
        new VarianceScaling().getConfig());
    assertEquals(Config.fromJson("{\"value\": 0.5}"), Constant.of(0.5).getConfig());
  }

  @Test
  void readsKerasFilesAndIdentifiers() {
    // As a Keras 3.16 file writes an initializer (input_axes/output_axes null) and Keras 2 did (no module)
    Initializer he = Serialization.deserialize(Config.fromJson(
        "{\"module\": \"keras.initializers\", \"class_name\": \"HeNormal\", \"config\": {\"seed\": 3,"
            + " \"input_axes\": null, \"output_axes\": null}, \"registered_name\": null}"), Initializer.class);
    assertEquals(new HeNormal(3).getConfig(), he.getConfig());
    Initializer keras2 = Serialization.deserialize(Config.fromJson(
        "{\"class_name\": \"VarianceScaling\", \"config\": {\"scale\": 2.0, \"mode\": \"fan_avg\","
            + " \"distribution\": \"normal\", \"seed\": null}}"), Initializer.class);
    assertEquals("truncated_normal", keras2.getConfig().getString("distribution", null));
    assertInstanceOf(HeNormal.class, Serialization.deserialize("he_normal", Initializer.class));
    assertInstanceOf(L2.class, Serialization.deserialize("l2", Regularizer.class));
    assertNull(Serialization.deserialize(null, Constraint.class));
    assertEquals("{\"module\":\"keras.regularizers\",\"class_name\":\"L2\",\"config\":{\"l2\":0.02},\"registered_name\":null}",
        Serialization.serialize(new L2(0.02)).toJson());
  }

  @Test
  void errorsNameTheClassTheKeyAndTheWayOut() {
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Serialization.deserialize(
        Config.fromJson("{\"class_name\": \"MyInit\", \"config\": {}}"), Initializer.class));
    assertTrue(unknown.getMessage().startsWith("Could not locate class 'MyInit'. Make sure custom classes are"
        + " registered: CustomObjects.register(\"MyInit\", MyInit::fromConfig) before loading. tfkeras's"
        + " keras.initializers: Constant, "), unknown.getMessage());
    IllegalArgumentException key = assertThrows(IllegalArgumentException.class, () -> Serialization.deserialize(
        Config.fromJson("{\"class_name\": \"L2\", \"config\": {\"l2\": 0.1, \"l3\": 1}}"), Regularizer.class));
    assertTrue(key.getMessage().startsWith("L2 has config key(s) [l3] that tfkeras does not know for L2"), key.getMessage());
    IllegalArgumentException mode = assertThrows(IllegalArgumentException.class, () -> VarianceScaling.fromConfig(
        Config.fromJson("{\"mode\": \"fan_middle\"}").describes("VarianceScaling")));
    assertEquals("VarianceScaling: `mode` should be one of ['fan_in', 'fan_out', 'fan_avg'], received: \"fan_middle\".",
        mode.getMessage());
    Initializer lambda = (tf, shape, seed) -> tf.zeros(tf.constant(shape.asArray()), TFloat32.class);
    UnsupportedOperationException noConfig = assertThrows(UnsupportedOperationException.class, lambda::getConfig);
    assertTrue(noConfig.getMessage().contains("CustomObjects.register"), noConfig.getMessage());
  }

  /** A user's own regularizer, as a Keras user writes one with register_keras_serializable. */
  public static final class Scaled implements Regularizer {
    private final double factor;

    public Scaled(double factor) {
      this.factor = factor;
    }

    public static Scaled fromConfig(Config config) {
      return new Scaled(config.getDouble("factor", 1));
    }

    @Override
    public Config getConfig() {
      return new Config().put("factor", factor);
    }

    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> weight) {
      return tf.math.mul(tf.constant((float) factor), tf.reduceSum(weight, tf.constant(new int[] {0})));
    }
  }

  @Test
  void customObjectsRoundTripUnderTheirRegisteredName() {
    Config unregistered = Serialization.serialize(new Scaled(2));
    assertEquals("Scaled", unregistered.getString("registered_name", null));
    CustomObjects.register("my_pkg", "Scaled", Scaled::fromConfig);
    try {
      Config serialized = Serialization.serialize(new Scaled(3));
      assertEquals("my_pkg>Scaled", serialized.getString("registered_name", null));
      assertEquals("dev.tfkeras.saving", serialized.getString("module", null));
      Regularizer back = Serialization.deserialize(serialized, Regularizer.class);
      assertEquals(new Scaled(3).getConfig(), back.getConfig());
      IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
          () -> CustomObjects.register("my_pkg", "Scaled", c -> new Scaled(1)));
      assertTrue(twice.getMessage().contains("CustomObjects.unregister(\"my_pkg>Scaled\")"), twice.getMessage());
    } finally {
      assertTrue(CustomObjects.unregister("my_pkg>Scaled"));
    }
  }
}
