package dev.runstream.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The build's PostgreSQL cluster (src/test/postgres/cluster), stopped and started by a test. */
public final class Postgres {

  private Postgres() {}

  /** Stops the cluster: the database is gone until {@link #up()}. */
  public static void down() {
    cluster("down");
  }

  /** Starts the cluster again, with its data. */
  public static void up() {
    cluster("up", System.getProperty("it.postgres.port"));
  }

  private static void cluster(String... arguments) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "bash",
                System.getProperty("it.postgres.cluster"),
                arguments[0],
                System.getProperty("it.postgres.dir")));
    command.addAll(List.of(arguments).subList(1, arguments.length));
    try {
      Process process = new ProcessBuilder(command).inheritIO().start();
      if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("the cluster did not " + arguments[0] + ": " + command);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
