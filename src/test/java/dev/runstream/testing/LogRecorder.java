package dev.runstream.testing;

import jakarta.enterprise.concurrent.ManageableThread;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * In the container: records everything logged (through java.util.logging, which both servers route
 * their logs through) while it is open, the application's own loggers at every level, with
 * parameters and stack traces, so a test can check what never appears in a log, and on which
 * threads the application logged (JUL calls its handlers on the logging thread).
 */
public final class LogRecorder extends Handler implements AutoCloseable {

  private static final String APPLICATION = "dev.runstream";

  private final Logger root = Logger.getLogger("");
  private final Logger application = Logger.getLogger(APPLICATION);
  private final Level applicationLevel = application.getLevel();
  private final List<Line> lines = new ArrayList<>();

  /**
   * One record: its logger, its text, and whether it was logged on a container-managed thread (one
   * of a managed executor's: those implement {@link ManageableThread}).
   */
  public record Line(String logger, String text, boolean managedThread) {}

  private LogRecorder() {
    setLevel(Level.ALL);
  }

  public static LogRecorder open() {
    LogRecorder recorder = new LogRecorder();
    recorder.application.setLevel(Level.ALL);
    recorder.root.addHandler(recorder);
    return recorder;
  }

  @Override
  public synchronized void publish(LogRecord record) {
    StringBuilder line = new StringBuilder(String.valueOf(record.getMessage()));
    if (record.getParameters() != null) {
      for (Object parameter : record.getParameters()) {
        line.append(' ').append(parameter);
      }
    }
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(trace));
      line.append(' ').append(trace);
    }
    lines.add(
        new Line(
            record.getLoggerName(),
            line.toString(),
            Thread.currentThread() instanceof ManageableThread));
  }

  public synchronized List<Line> lines() {
    return List.copyOf(lines);
  }

  /** The records of loggers whose name starts with {@code prefix}. */
  public synchronized List<Line> of(String prefix) {
    return lines.stream()
        .filter(line -> line.logger() != null && line.logger().startsWith(prefix))
        .toList();
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    root.removeHandler(this);
    application.setLevel(applicationLevel);
  }
}
