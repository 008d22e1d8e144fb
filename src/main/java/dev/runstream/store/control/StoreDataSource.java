package dev.runstream.store.control;

import dev.runstream.store.entity.StoreSettings;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The driver-level data source behind the container's pooled {@code java:app/jdbc/runstream}
 * (declared on {@link JdbcRunStore}): on first use it reads the store's settings through
 * MicroProfile Config and connects to H2 or PostgreSQL. So the same WAR points at either database
 * on both servers by configuration alone, with no server setup.
 */
public class StoreDataSource implements DataSource {

  public static final String JNDI_NAME = "java:app/jdbc/runstream";

  private volatile DataSource target;
  private PrintWriter logWriter;
  private int loginTimeout;

  // The container sets the standard properties it has (url, user, ...); the settings win over them.
  private String url;
  private String user;
  private String password;

  private DataSource target() {
    DataSource current = target;
    if (current == null) {
      synchronized (this) {
        current = target;
        if (current == null) {
          Config config = ConfigProvider.getConfig(StoreDataSource.class.getClassLoader());
          StoreSettings settings =
              StoreSettings.read(key -> config.getOptionalValue(key, String.class));
          current = connectTo(settings);
          target = current;
        }
      }
    }
    return current;
  }

  static DataSource connectTo(StoreSettings settings) {
    if (settings.embedded()) {
      org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
      h2.setURL(settings.jdbcUrl());
      h2.setUser(settings.user() == null ? "runstream" : settings.user());
      h2.setPassword(settings.password() == null ? "" : settings.password());
      return h2;
    }
    if (settings.url().startsWith("jdbc:postgresql:")) {
      org.postgresql.ds.PGSimpleDataSource postgres = new org.postgresql.ds.PGSimpleDataSource();
      postgres.setURL(settings.url());
      if (settings.user() != null) {
        postgres.setUser(settings.user());
      }
      if (settings.password() != null) {
        postgres.setPassword(settings.password());
      }
      return postgres;
    }
    throw new IllegalArgumentException(
        StoreSettings.URL + " must be a jdbc:postgresql: URL (or unset, for the embedded H2)");
  }

  @Override
  public Connection getConnection() throws SQLException {
    return physical(target());
  }

  /**
   * A connection for the container's pool to keep, which outlives its database going away: a
   * database server may restart under it, and the embedded H2 closes itself on a fault (see {@link
   * ConnectionLoss}); either way its next use opens a new one ({@link Reconnecting}).
   */
  static Connection physical(DataSource driver) throws SQLException {
    return Reconnecting.open(driver);
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return getConnection(); // the settings name the user, not the container
  }

  @Override
  public PrintWriter getLogWriter() {
    return logWriter;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    this.logWriter = out;
  }

  @Override
  public void setLoginTimeout(int seconds) {
    this.loginTimeout = seconds;
  }

  @Override
  public int getLoginTimeout() {
    return loginTimeout;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    return target().unwrap(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return type.isInstance(this) || target().isWrapperFor(type);
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getUser() {
    return user;
  }

  public void setUser(String user) {
    this.user = user;
  }

  public String getPassword() {
    return password;
  }

  public void setPassword(String password) {
    this.password = password;
  }
}
