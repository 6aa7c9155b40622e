package dev.tfkeras.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {

  @Test
  void writesJsonAsKerasDoes() {
    Config c = new Config()
        .put("name", "dense")
        .put("units", 10)
        .put("rate", 0.1f)
        .put("kernel_size", new int[] {3, 3})
        .put("seed", null)
        .put("nested", new Config().put("a", true));
    assertEquals(
        "{\"name\":\"dense\",\"units\":10,\"rate\":0.1,\"kernel_size\":[3,3],\"seed\":null,\"nested\":{\"a\":true}}",
        c.toJson());
  }

  @Test
  void jsonRoundTripIsEqualAndNumbersCompareByValue() {
    Config c = new Config().put("units", 10).put("rate", 0.1f).put("list", List.of(1, 2.5, "x"));
    Config back = Config.fromJson(c.toJson());
    assertEquals(c, back);
    assertEquals(c.hashCode(), back.hashCode());
    assertEquals(Config.fromJson("{\"a\": 1}"), Config.fromJson("{\"a\": 1.0}"));
    assertNotEquals(Config.fromJson("{\"a\": 1}"), Config.fromJson("{\"a\": 2}"));
    assertEquals(Map.of("units", 10L, "rate", 0.1, "list", List.of(1L, 2.5, "x")), back.asMap());
  }

  @Test
  void typedReadersUseDefaultsAndNameBadValues() {
    Config c = Config.fromJson("{\"name\": \"conv\", \"kernel_size\": 3, \"strides\": [2, 1], \"units\": \"ten\"}")
        .describes("Conv2D");
    assertArrayEquals(new int[] {3, 3}, c.getInts("kernel_size", 2, null));
    assertArrayEquals(new int[] {2, 1}, c.getInts("strides", 2, null));
    assertEquals(7, c.getInt("filters", 7));
    assertNull(c.getLongOrNull("seed"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.getInt("units", 0));
    assertEquals("'conv' (Conv2D): `units` should be a number, received: \"ten\".", e.getMessage());
    IllegalArgumentException fraction = assertThrows(IllegalArgumentException.class,
        () -> Config.fromJson("{\"units\": 2.5}").getInt("units", 0));
    assertTrue(fraction.getMessage().contains("should be an integer"), fraction.getMessage());
  }

  @Test
  void unknownKeysAreNamedWithTheKnownOnes() {
    Config c = Config.fromJson("{\"name\": \"d\", \"units\": 3, \"colour\": \"red\"}").describes("Dense");
    c.ignore("name");
    c.getInt("units", 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::checkAllRead);
    assertTrue(e.getMessage().startsWith("'d' (Dense) has config key(s) [colour] that tfkeras does not know for Dense;"
        + " known keys: [name, units]."), e.getMessage());
  }

  @Test
  void refusesValuesWithoutJsonForm() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Config().put("x", new Object()));
    assertTrue(e.getMessage().startsWith("Config key `x`: a java.lang.Object has no JSON form"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Config().put("x", Double.NaN));
    IllegalArgumentException notObject = assertThrows(IllegalArgumentException.class, () -> Config.fromJson("[1]"));
    assertEquals("Expected a JSON object ({...}) for a config, received: [1].", notObject.getMessage());
  }
}
