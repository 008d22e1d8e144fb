package dev.runstream.bench.server;

import dev.runstream.bench.api.HttpCall;
import dev.runstream.bench.api.Target;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server process the tool started itself, so it knows its PID: the service on Payara Micro, or
 * the Node.js reference. Its startup time is from launch to the first 200 from {@code GET
 * /api/v1/chat/runs?limit=1}. Always stopped, also when the tool is interrupted.
 */
final class ChildServer {

  final Process process;
  private final Thread killer;
  final long startupMillis;

  private ChildServer(Process process, Thread killer, long startupMillis) {
    this.process = process;
    this.killer = killer;
    this.startupMillis = startupMillis;
  }

  /**
   * Launches {@code command} (its output to {@code log}) and waits until {@code target} answers.
   */
  static ChildServer start(List<String> command, Path log, Target target, int timeoutSeconds)
      throws IOException {
    if (listening(target.port())) {
      throw new IllegalStateException(
          "port " + target.port() + " is taken: stop what listens there or pick another port");
    }
    Files.createDirectories(log.getParent());
    long launched = System.nanoTime();
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Thread killer = new Thread(process::destroyForcibly);
    Runtime.getRuntime().addShutdownHook(killer);
    long deadline = launched + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (!answers(target)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the server exited at startup; see " + log);
      }
      if (System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("the server did not answer in time; see " + log);
      }
      sleep(25);
    }
    return new ChildServer(process, killer, (System.nanoTime() - launched) / 1_000_000);
  }

  private static boolean answers(Target target) {
    try (HttpCall call = new HttpCall(target, 2000)) {
      return call.get(target.runs() + "?limit=1").status() == 200;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Stops the process with SIGTERM (killed if it is not gone after 30 s); the milliseconds from the
   * signal to its exit.
   */
  long stop() {
    long signalled = System.nanoTime();
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    long stopped = (System.nanoTime() - signalled) / 1_000_000;
    try {
      Runtime.getRuntime().removeShutdownHook(killer);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
    return stopped;
  }
}
