package dev.tfkeras.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every public concrete class of the library (target/classes) under a package that is a subtype
 * of a given type: the round-trip tests walk these, so that a class added without a config fails
 * a test instead of going unnoticed.
 */
public final class ClassWalk {

  private ClassWalk() {}

  /** Public, non-abstract, top-level or static nested subtypes of {@code type} under {@code packageName}. */
  public static List<Class<?>> concreteSubtypes(Class<?> type, String packageName) {
    Path root;
    try {
      root = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    Path dir = root.resolve(packageName.replace('.', '/'));
    List<Class<?>> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
        if (name.contains("$") && name.matches(".*\\$\\d.*")) {
          continue; // anonymous and local classes
        }
        Class<?> c = Class.forName(name, false, type.getClassLoader());
        int m = c.getModifiers();
        if (type.isAssignableFrom(c) && Modifier.isPublic(m) && !Modifier.isAbstract(m) && !c.isInterface()
            && (c.getEnclosingClass() == null || Modifier.isStatic(m))) {
          out.add(c);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
    out.sort(Comparator.comparing(Class::getName));
    return out;
  }
}
