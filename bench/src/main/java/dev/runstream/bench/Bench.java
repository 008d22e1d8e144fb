package dev.runstream.bench;

import dev.runstream.bench.api.HttpCall;
import dev.runstream.bench.api.Target;
import dev.runstream.bench.scenario.Warmup;
import dev.runstream.bench.server.ManagedServer;
import dev.runstream.bench.server.ReferenceServer;
import dev.runstream.bench.server.ServerProbe;
import dev.runstream.bench.server.StoreFlags;
import dev.runstream.bench.sse.IoLoop;
import dev.runstream.bench.sse.SseStream;
import dev.runstream.bench.sse.StreamHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * What every scenario shares: the options, the I/O loops, the loopback source addresses, the
 * results folder, and the server under test (started per step by the tool, or given by URL).
 */
public final class Bench implements AutoCloseable {

  public final Options options;
  public final List<IoLoop> loops;
  public final Path dir;
  private final List<InetAddress> sources = new ArrayList<>();
  private final List<Long> startups = new ArrayList<>();
  private ManagedServer server;
  private ReferenceServer reference;
  private Path store;
  private Target target;
  private ServerProbe probe;

  Bench(Options options, Path dir) {
    this.options = options;
    this.dir = dir;
    this.loops = IoLoop.start(options.ioThreads);
    aimAtServer();
    if (target.loopback() && options.sourceAddresses > 1) {
      for (int i = 1; i <= options.sourceAddresses; i++) {
        try {
          sources.add(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) i}));
        } catch (UnknownHostException e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  /** The target is the server under test: the given one, or the one the tool started. */
  private void aimAtServer() {
    if (!options.managed()) {
      target = Target.parse(options.baseUrl);
      probe = options.serverPid > 0 ? new ServerProbe(options.serverPid) : null;
    } else if (server != null) {
      target = server.target;
      probe = server.probe;
    } else {
      target = Target.parse("http://127.0.0.1:" + options.port);
      probe = null;
    }
  }

  /**
   * The Node.js reference server for a step instead of the server under test: the tool's own server
   * is stopped first (so the two never share the machine), the reference started on {@code
   * --reference-port} and warmed up with the same fan-out as the server. {@link #stopReference}
   * aims at the server again.
   */
  public void startReference(String tag) throws IOException {
    stopServer();
    stopReference();
    System.err.printf("starting the reference server for %s ...%n", tag);
    reference =
        ReferenceServer.start(
            options.node,
            options.referenceScript,
            options.referencePort,
            dir.resolve("reference-" + tag + ".log"));
    target = reference.target;
    probe = reference.probe;
    System.err.printf(
        "reference pid %d answered after %d ms%n", probe.pid, reference.startupMillis);
    try {
      Warmup.fanOut(this, options.serverWarmup);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Stops the reference server, if one runs, and aims at the server under test again. */
  public void stopReference() {
    if (reference != null) {
      reference.close();
      reference = null;
      aimAtServer();
    }
  }

  public Target target() {
    return target;
  }

  /** The server's probe, or null when its PID is unknown (a remote --base-url). */
  public ServerProbe probe() {
    return probe;
  }

  List<Long> startups() {
    return startups;
  }

  public ManagedServer server() {
    return server;
  }

  /** A server ready for a step: a fresh one per step when the tool manages it. */
  public void beforeStep(String tag) throws IOException {
    beforeStep(tag, true);
  }

  /** As {@link #beforeStep(String)}; {@code warm} false skips the warm-up load. */
  public void beforeStep(String tag, boolean warm) throws IOException {
    if (!options.managed() || (server != null && !options.restart)) {
      return;
    }
    stopServer();
    store = dir.resolve(tag).resolve("store");
    start(tag);
    try {
      Warmup.run(this, warm ? options.serverWarmup : 0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /**
   * Stops the server with SIGTERM and starts it again on the same store, without a warm-up; the
   * milliseconds from the signal to its exit. The new server's startup time is {@link
   * ManagedServer#startupMillis}.
   */
  public long restartServer(String tag) throws IOException {
    long stopped = server.stop();
    server = null;
    start(tag);
    return stopped;
  }

  private void start(String tag) throws IOException {
    System.err.printf("starting the server for %s ...%n", tag);
    server =
        ManagedServer.start(
            options, dir.resolve("server-" + tag + ".log"), store.resolve("runstream"));
    startups.add(server.startupMillis);
    target = server.target;
    probe = server.probe;
    System.err.printf("server pid %d answered after %d ms%n", probe.pid, server.startupMillis);
  }

  /** The H2 files of the current step, or null when the store is not the tool's own H2. */
  public Path store() {
    return options.managed() && StoreFlags.freshH2(options) ? store : null;
  }

  /** Stops the server, and deletes the step's H2 files unless {@code --keep-store}. */
  public void stopServer() {
    if (server != null) {
      server.close();
      server = null;
      probe = null;
      if (store() != null && !options.keepStore) {
        delete(store.getParent()); // the step's folder holds nothing but its store
      }
    }
  }

  private static void delete(Path folder) {
    try (Stream<Path> files = Files.walk(folder)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("cannot delete " + folder + ": " + e.getMessage());
    }
  }

  /** The loopback source address of the i-th connection, or null (any) off loopback. */
  public InetAddress source(int i) {
    return sources.isEmpty() ? null : sources.get(i % sources.size());
  }

  /** A kept-alive connection for the i-th caller, from its source address. */
  public HttpCall call(int i, int timeoutMs) {
    return new HttpCall(target, timeoutMs, source(i));
  }

  /** A stream for the i-th subscriber: its loop and source address go round-robin. */
  public SseStream stream(int i, String path, StreamHandler handler, Object attachment) {
    IoLoop loop = loops.get(i % loops.size());
    return new SseStream(loop, target, source(i), path, null, handler, attachment);
  }

  /**
   * Opens {@code count} streams at the same moment: every stream is made first, then all are handed
   * to their loops together, with no pacing and no cap on those waiting (a storm).
   */
  public void openAtOnce(int from, int count, IntFunction<SseStream> make) {
    List<SseStream> streams = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      streams.add(make.apply(from + i));
    }
    streams.forEach(stream -> stream.loop.open(stream));
  }

  /**
   * Opens {@code count} streams at the connect rate, with at most {@code pending} of them waiting
   * for their first event (the handler releases a permit then, or when the stream ends).
   */
  public void openAtRate(int from, int count, Semaphore pending, IntFunction<SseStream> make) {
    long interval = TimeUnit.SECONDS.toNanos(1) / Math.max(1, options.connectRate);
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      long due = start + i * interval;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      try {
        if (!pending.tryAcquire(options.connectTimeout, TimeUnit.SECONDS)) {
          System.err.println("streams do not open: giving up after " + i);
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      SseStream stream = make.apply(from + i);
      stream.loop.open(stream);
    }
  }

  /** Resets every loop's figures; the timeline starts now. */
  public void resetStats(long startMicros) {
    for (IoLoop loop : loops) {
      loop.call(
          () -> {
            loop.stats.reset(startMicros);
            return null;
          });
    }
  }

  @Override
  public void close() {
    stopReference();
    stopServer();
    loops.forEach(IoLoop::close);
  }
}
