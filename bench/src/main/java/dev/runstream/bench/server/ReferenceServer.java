package dev.runstream.bench.server;

import dev.runstream.bench.api.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The yardstick: {@code node bench/reference/server.js PORT}, a minimal Node.js server of the
 * contract's external runs and their streams, started by the tool beside the service so that each
 * fan-out step can be measured against both. Its probe reads CPU, RSS, threads and file descriptors
 * from {@code /proc}; it has no JVM heap.
 */
public final class ReferenceServer implements AutoCloseable {

  private final ChildServer child;
  public final Target target;
  public final ServerProbe probe;
  public final long startupMillis;

  private ReferenceServer(ChildServer child, Target target) {
    this.child = child;
    this.target = target;
    this.probe = ServerProbe.process(child.process.pid());
    this.startupMillis = child.startupMillis;
  }

  /** Starts {@code node SCRIPT PORT}, its output to {@code log}. */
  public static ReferenceServer start(String node, Path script, int port, Path log)
      throws IOException {
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException(script + " not found: run the tool from the repository root");
    }
    Target target = Target.parse("http://127.0.0.1:" + port);
    return new ReferenceServer(
        ChildServer.start(command(node, script, port), log, target, 30), target);
  }

  static List<String> command(String node, Path script, int port) {
    return List.of(node, script.toString(), Integer.toString(port));
  }

  @Override
  public void close() {
    child.stop();
  }
}
