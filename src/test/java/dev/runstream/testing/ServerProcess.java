package dev.runstream.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The packaged WAR ({@code target/runstream.war}) on a server process of its own, for tests that
 * stop, kill or restart a server: Payara Micro ({@code target/payara-micro.jar}) or WildFly (the
 * unpacked distribution under {@code target/}), whichever the suite runs on ({@code
 * arquillian.launch}). Settings reach the application as system properties (MicroProfile Config).
 * Its output goes to {@code target/process/NAME.log}.
 */
public final class ServerProcess implements AutoCloseable {

  private static final Duration BOOT = Duration.ofSeconds(180);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final URI base;
  private final Path log;

  private ServerProcess(Process process, URI base, Path log) {
    this.process = process;
    this.base = base;
    this.log = log;
  }

  /** The server of this suite, started as {@code name} with {@code settings}, serving. */
  public static ServerProcess start(String name, Map<String, String> settings) {
    return start(name, settings, false);
  }

  /**
   * The same, listening on every interface of the machine ({@code 0.0.0.0}) rather than on loopback
   * only, as the README's {@code all-interfaces.asadmin} (or WildFly's {@code -b}) makes it.
   */
  public static ServerProcess startOnEveryInterface(String name, Map<String, String> settings) {
    return start(name, settings, true);
  }

  private static ServerProcess start(String name, Map<String, String> settings, boolean every) {
    String server = System.getProperty("arquillian.launch", "payara");
    try {
      Path folder = Path.of("target", "process", name).toAbsolutePath();
      delete(folder); // a server keeps what it deployed in its folder: every start is a new one
      Files.createDirectories(folder);
      Path log = folder.resolve("server.log");
      List<String> properties = new ArrayList<>();
      settings.forEach((key, value) -> properties.add("-D" + key + "=" + value));
      ServerProcess started =
          server.equals("wildfly")
              ? wildfly(folder, properties, log, every ? "0.0.0.0" : "127.0.0.1")
              : payara(
                  folder, properties, log, every ? "all-interfaces.asadmin" : "preboot.asadmin");
      started.awaitServing();
      return started;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ServerProcess payara(
      Path folder, List<String> properties, Path log, String preboot) throws IOException {
    int port = Integer.getInteger("process.payara.port", 18480);
    List<String> command =
        new ArrayList<>(List.of(java(), "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    command.addAll(properties);
    command.addAll(
        List.of(
            "-Djava.io.tmpdir=" + folder,
            "-jar",
            Path.of("target", "payara-micro.jar").toAbsolutePath().toString(),
            "--deploy",
            Path.of("target", "runstream.war").toAbsolutePath().toString(),
            "--contextroot",
            "/",
            "--port",
            Integer.toString(port),
            "--nohazelcast",
            "--rootdir",
            folder.resolve("payara-root").toString(),
            "--prebootcommandfile",
            Path.of("src", "main", "payara", preboot).toAbsolutePath().toString()));
    return new ServerProcess(
        launch(command, log), URI.create("http://127.0.0.1:" + port + "/"), log);
  }

  /**
   * A copy of {@code standalone/} as its base folder, the WAR in its deployments, a port offset.
   */
  private static ServerProcess wildfly(
      Path folder, List<String> properties, Path log, String address) throws IOException {
    Path home = Path.of(System.getProperty("wildfly.home")).toAbsolutePath();
    Path base = folder.resolve("standalone");
    copy(home.resolve("standalone"), base);
    Files.copy(
        Path.of("target", "runstream.war"),
        base.resolve("deployments").resolve("ROOT.war"),
        StandardCopyOption.REPLACE_EXISTING);
    int offset = Integer.getInteger("process.wildfly.portOffset", 400);
    List<String> command =
        new ArrayList<>(
            List.of(
                home.resolve("bin").resolve("standalone.sh").toString(),
                "-Djboss.server.base.dir=" + base,
                "-Djboss.socket.binding.port-offset=" + offset,
                "-Djboss.bind.address=" + address,
                "-Djboss.bind.address.management=127.0.0.1"));
    command.addAll(properties);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("JAVA_OPTS", "-Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
    return new ServerProcess(
        launch(builder, log), URI.create("http://127.0.0.1:" + (8080 + offset) + "/"), log);
  }

  private static Process launch(List<String> command, Path log) throws IOException {
    return launch(new ProcessBuilder(command), log);
  }

  private static Process launch(ProcessBuilder builder, Path log) throws IOException {
    return builder
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void delete(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  /** The server's log (its standard output and error). */
  public Path log() {
    return log;
  }

  /** Where the application is: {@code http://127.0.0.1:PORT/}. */
  public URI base() {
    return base;
  }

  /** Waits until the API answers, at most the boot time; fails if the process ends first. */
  private void awaitServing() {
    long deadline = System.nanoTime() + BOOT.toNanos();
    HttpRequest stats = HttpRequest.newBuilder(base.resolve("api/v1/stats")).build();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the server ended while starting: see " + log);
      }
      try {
        int status = HTTP.send(stats, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status == 200 || status == 401) { // 401: the API answers, with identity on
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        process.waitFor(200, java.util.concurrent.TimeUnit.MILLISECONDS); // ends early if it dies
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    kill();
    throw new IllegalStateException("the server did not answer within " + BOOT + ": see " + log);
  }

  /** Stops the server as an operator would (SIGTERM) and waits until it has exited. */
  public void stop() {
    end(false);
  }

  /** Kills the server (SIGKILL): no shutdown of any kind. */
  public void kill() {
    end(true);
  }

  private void end(boolean kill) {
    // WildFly's script runs the JVM as its child: the signal goes to the JVM itself
    List<ProcessHandle> jvms = new ArrayList<>(process.descendants().toList());
    jvms.add(process.toHandle());
    for (ProcessHandle jvm : jvms) {
      if (kill) {
        jvm.destroyForcibly();
      } else {
        jvm.destroy();
      }
    }
    for (ProcessHandle jvm : jvms) {
      jvm.onExit().orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
