package dev.runstream.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The stores tests run on: the embedded H2 database, and PostgreSQL, the cluster the build starts
 * for the integration tests (its admin URL is {@code it.postgres.url}). Every call for settings
 * makes a new, empty store.
 */
public final class Stores {

  public static final String H2 = "h2";
  public static final String POSTGRESQL = "postgresql";

  private Stores() {}

  public static List<String> available() {
    return List.of(H2, POSTGRESQL);
  }

  /**
   * Settings of a new, empty store of {@code kind}, for the server (or deployment) {@code name}.
   */
  public static Map<String, String> settings(String kind, String name) {
    if (kind.equals(H2)) {
      Path path =
          Path.of("target", "process", name + "-" + UUID.randomUUID(), "runstream")
              .toAbsolutePath();
      return Map.of("chat.store.path", path.toString());
    }
    String database = "it_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection admin = DriverManager.getConnection(adminUrl());
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + database);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create a database on " + adminUrl(), e);
    }
    return Map.of("chat.store.url", databaseUrl(database), "chat.store.user", "postgres");
  }

  /** The JDBC URL of {@code database} on the build's PostgreSQL cluster. */
  public static String databaseUrl(String database) {
    String admin = adminUrl();
    int query = admin.indexOf('?');
    String server = admin.substring(0, admin.lastIndexOf('/', query < 0 ? admin.length() : query));
    return server + "/" + database;
  }

  static String adminUrl() {
    String url = System.getProperty("it.postgres.url");
    if (url == null || url.isBlank()) {
      throw new IllegalStateException(
          "no PostgreSQL for the tests: the build starts one (src/test/postgres/cluster) with"
              + " Debian's postgresql installed (apt-get install postgresql; .ci/run does)");
    }
    return url;
  }
}
