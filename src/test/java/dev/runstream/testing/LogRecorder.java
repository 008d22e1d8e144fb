package dev.runstream.testing;

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
 * parameters and stack traces, so a test can check what never appears in a log.
 */
public final class LogRecorder extends Handler implements AutoCloseable {

  private static final String APPLICATION = "dev.runstream";

  private final Logger root = Logger.getLogger("");
  private final Logger application = Logger.getLogger(APPLICATION);
  private final Level applicationLevel = application.getLevel();
  private final List<String> lines = new ArrayList<>();

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
    lines.add(line.toString());
  }

  public synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    root.removeHandler(this);
    application.setLevel(applicationLevel);
  }
}
