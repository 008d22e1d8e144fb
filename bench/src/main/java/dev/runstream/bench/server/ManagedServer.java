package dev.runstream.bench.server;

import dev.runstream.bench.Options;
import dev.runstream.bench.api.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The service under test, started by the tool so it knows its PID: {@code java -jar
 * payara-micro.jar --deploy runstream.war --contextroot / --port PORT --nohazelcast} (a {@link
 * ChildServer}).
 */
public final class ManagedServer implements AutoCloseable {

  private final ChildServer child;
  public final Target target;
  public final ServerProbe probe;
  public final long startupMillis;
  public final List<String> command;

  private ManagedServer(ChildServer child, Target target, List<String> command) {
    this.child = child;
    this.target = target;
    this.probe = new ServerProbe(child.process.pid());
    this.startupMillis = child.startupMillis;
    this.command = command;
  }

  /**
   * Starts the server on the store of a step whose H2 files are {@code store} (see {@link
   * StoreFlags}).
   */
  public static ManagedServer start(Options options, Path log, Path store) throws IOException {
    for (Path p : List.of(options.serverJar, options.war)) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalStateException(p + " not found: build with `mvn package -DskipTests`");
      }
    }
    Files.createDirectories(options.serverTmp);
    List<String> command = command(options, Integer.toString(options.port), store);
    Target target = Target.parse("http://127.0.0.1:" + options.port);
    ChildServer child = ChildServer.start(command, log, target, options.startupTimeout);
    return new ManagedServer(child, target, command);
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
            "--prebootcommandfile",
            options.serverPreboot.toString(),
            "--deploy",
            options.war.toString(),
            "--contextroot",
            "/",
            "--port",
            port,
            "--nohazelcast"));
    return command;
  }

  /**
   * Stops the server with SIGTERM (killed if it is not gone after 30 s); the milliseconds from the
   * signal to its exit.
   */
  public long stop() {
    return child.stop();
  }

  @Override
  public void close() {
    stop();
  }
}
