package dev.tfkeras.testing;

import dev.tfkeras.runtime.GraphRuntime;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives every test a fresh default {@link GraphRuntime}: after each test the runtime it used (its
 * graph, session, names and seeds) is released, so tests never see each other's layers.
 *
 * <pre>{@code
 * @ExtendWith(FreshRuntime.class)
 * class DenseTest { ... }
 * }</pre>
 */
public final class FreshRuntime implements AfterEachCallback {

  @Override
  public void afterEach(ExtensionContext context) {
    GraphRuntime.reset();
  }
}
