package dev.runstream.store.entity;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the runs are kept. Without {@code chat.store.url}: the H2 database inside the WAR, in files
 * at {@code chat.store.path} (default {@code ~/.runstream/runstream}). With it: that JDBC URL (a
 * PostgreSQL one in production) with {@code chat.store.user} and {@code chat.store.password}.
 * {@code chat.store.h2-cache-kb} bounds H2's page cache (its own default: 16 MiB); {@code
 * chat.store.pool-size} is the most connections the store opens (2 to 64, default 16). {@link
 * #toString()} never shows the password.
 */
public record StoreSettings(
    String url, String user, String password, Path path, Integer h2CacheKb, int poolSize) {

  public static final String URL = "chat.store.url";
  public static final String USER = "chat.store.user";
  public static final String PASSWORD = "chat.store.password";
  public static final String PATH = "chat.store.path";
  public static final String H2_CACHE_KB = "chat.store.h2-cache-kb";
  public static final String POOL_SIZE = "chat.store.pool-size";
  public static final int DEFAULT_POOL_SIZE = 16;

  /**
   * The H2 file database: every commit written through before it is reported (a killed server loses
   * nothing committed); the server, not the JVM's exit, closes it.
   */
  static final String H2_OPTIONS = ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";

  /** The settings as {@code setting} gives them (a config lookup by key). */
  public static StoreSettings read(Function<String, Optional<String>> setting) {
    Path path =
        setting
            .apply(PATH)
            .filter(value -> !value.isBlank())
            .map(Path::of)
            .orElse(Path.of(System.getProperty("user.home"), ".runstream", "runstream"))
            .toAbsolutePath();
    return new StoreSettings(
        setting.apply(URL).filter(value -> !value.isBlank()).orElse(null),
        setting.apply(USER).orElse(null),
        setting.apply(PASSWORD).orElse(null),
        path,
        setting
            .apply(H2_CACHE_KB)
            .filter(value -> !value.isBlank())
            .map(Integer::valueOf)
            .orElse(null),
        setting
            .apply(POOL_SIZE)
            .filter(value -> !value.isBlank())
            .map(Integer::valueOf)
            .orElse(DEFAULT_POOL_SIZE));
  }

  /** Whether the runs are kept in the embedded H2 database. */
  public boolean embedded() {
    return url == null;
  }

  /** The JDBC URL the store connects to. */
  public String jdbcUrl() {
    if (!embedded()) {
      return url;
    }
    return "jdbc:h2:file:"
        + path
        + H2_OPTIONS
        + (h2CacheKb == null ? "" : ";CACHE_SIZE=" + h2CacheKb);
  }

  /** Where the runs are, for the log: the H2 files, or the database's URL without credentials. */
  public String where() {
    if (embedded()) {
      return "H2 database files " + path + ".mv.db";
    }
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }

  @Override
  public String toString() {
    return "StoreSettings[" + where() + ", user " + user + "]";
  }
}
