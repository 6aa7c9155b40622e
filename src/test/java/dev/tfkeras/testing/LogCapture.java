package dev.tfkeras.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** Collects what one class logs at WARN and above while open, so tests can assert the message. */
public final class LogCapture implements AutoCloseable {

  private final List<String> messages = new CopyOnWriteArrayList<>();
  private final AbstractAppender appender;
  private final org.apache.logging.log4j.core.Logger logger;

  public LogCapture(Class<?> source) {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    logger = context.getLogger(source.getName());
    appender =
        new AbstractAppender("capture-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            if (event.getLevel().isMoreSpecificThan(Level.WARN)) {
              messages.add(event.getMessage().getFormattedMessage());
            }
          }
        };
    appender.start();
    logger.addAppender(appender);
  }

  /** The formatted WARN and ERROR messages so far. */
  public List<String> warnings() {
    return List.copyOf(messages);
  }

  @Override
  public void close() {
    logger.removeAppender(appender);
    appender.stop();
  }
}
