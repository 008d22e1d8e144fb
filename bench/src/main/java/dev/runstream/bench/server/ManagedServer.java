package dev.runstream.bench.server;

import dev.runstream.bench.Options;
import dev.runstream.bench.api.HttpCall;
import dev.runstream.bench.api.Target;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The service under test, started by the tool so it knows its PID: {@code java -jar
 * payara-micro.jar --deploy runstream.war --contextroot / --port PORT --nohazelcast}. Its startup
 * time is from launch to the first 200 from {@code GET /api/v1/chat/runs}. Always stopped, also
 * when the tool is interrupted.
 */
public final class ManagedServer implements AutoCloseable {

  private final Process process;
  private final Thread killer;
  public final Target target;
  public final ServerProbe probe;
  public final long startupMillis;
  public final List<String> command;

  private ManagedServer(
      Process process, Thread killer, Target target, long startupMillis, List<String> command) {
    this.process = process;
    this.killer = killer;
    this.target = target;
    this.probe = new ServerProbe(process.pid());
    this.startupMillis = startupMillis;
    this.command = command;
  }

  /**
   * Starts the server on the store of a step whose H2 files are {@code store} (see {@link
   * StoreFlags}).
   */
  public static ManagedServer start(Options options, Path log, Path store) throws IOException {
    int port = options.port;
    if (listening(port)) {
      throw new IllegalStateException(
          "port " + port + " is taken: stop what listens there or pick --port");
    }
    for (Path p : List.of(options.serverJar, options.war)) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalStateException(p + " not found: build with `mvn package -DskipTests`");
      }
    }
    Files.createDirectories(options.serverTmp);
    List<String> command = command(options, Integer.toString(port), store);
    Files.createDirectories(log.getParent());
    long launched = System.nanoTime();
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Thread killer = new Thread(process::destroyForcibly);
    Runtime.getRuntime().addShutdownHook(killer);
    Target target = Target.parse("http://127.0.0.1:" + port);
    long deadline = launched + TimeUnit.SECONDS.toNanos(options.startupTimeout);
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the server exited at startup; see " + log);
      }
      if (answers(target)) {
        break;
      }
      if (System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("the server did not answer in time; see " + log);
      }
      sleep(25);
    }
    long startup = (System.nanoTime() - launched) / 1_000_000;
    return new ManagedServer(process, killer, target, startup, command);
  }

  /**
   * The server's command line: the store's options and the scenario's first, so that {@code
   * --server-opts} (later on the line) wins.
   */
  public static List<String> command(Options options, String port, Path store) {
    List<String> command = new ArrayList<>();
    command.add(Machine.java());
    command.add("-Djava.io.tmpdir=" + options.serverTmp.toAbsolutePath());
    command.addAll(StoreFlags.of(options, store));
    command.addAll(options.scenarioServerOpts());
    command.addAll(options.serverOpts);
    command.addAll(
        List.of(
            "-jar",
            options.serverJar.toString(),
            "--deploy",
            options.war.toString(),
            "--contextroot",
            "/",
            "--port",
            port,
            "--nohazelcast"));
    return command;
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
   * Stops the server with SIGTERM (killed if it is not gone after 30 s); the milliseconds from the
   * signal to its exit.
   */
  public long stop() {
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

  @Override
  public void close() {
    stop();
  }
}
