package dev.runstream.store.control;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A physical connection that survives its database going away and coming back. The container's pool
 * keeps connections of {@link StoreDataSource} and hands them out again and again; when the
 * database restarts, each of them is dead, and neither Payara's nor WildFly's pool of an
 * annotation-defined data source tests them. So the connection itself does: a call that begins work
 * ({@link #BEGINNINGS}) on a connection that is closed, or that fails because the connection is
 * gone ({@link ConnectionLoss}), is made again once on a new connection. Work under way is never
 * replayed: a failure in the middle of a transaction reaches the caller, who retries the whole of
 * it.
 */
final class Reconnecting implements InvocationHandler {

  private static final Logger LOG = Logger.getLogger(Reconnecting.class.getName());

  /** Calls that start using a connection: nothing is under way on it yet. */
  private static final Set<String> BEGINNINGS =
      Set.of(
          "setAutoCommit",
          "getAutoCommit",
          "prepareStatement",
          "createStatement",
          "prepareCall",
          "setClientInfo",
          "getClientInfo",
          "setReadOnly",
          "setTransactionIsolation",
          "getMetaData",
          "isValid");

  private final DataSource driver;
  private Connection target;

  private Reconnecting(DataSource driver, Connection target) {
    this.driver = driver;
    this.target = target;
  }

  static Connection open(DataSource driver) throws SQLException {
    return (Connection)
        Proxy.newProxyInstance(
            Reconnecting.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            new Reconnecting(driver, driver.getConnection()));
  }

  @Override
  public synchronized Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getName().equals("unwrap") && ((Class<?>) args[0]).isInstance(proxy)) {
      return proxy; // the pool asks for a Connection: it must keep this one, not the one inside
    }
    boolean beginning = BEGINNINGS.contains(method.getName());
    if (beginning && target.isClosed()) {
      reconnect(method);
    }
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      Throwable failure = e.getCause();
      if (beginning && ConnectionLoss.is(failure)) {
        reconnect(method);
        try {
          return method.invoke(target, args);
        } catch (InvocationTargetException again) {
          throw again.getCause();
        }
      }
      throw failure;
    }
  }

  /**
   * A new connection in place of the dead one; fails as {@code method} may (the database is down).
   */
  private void reconnect(Method method) throws SQLException {
    try {
      target.close();
    } catch (SQLException alreadyGone) {
      LOG.log(Level.FINE, "closing a dead connection", alreadyGone);
    }
    try {
      target = driver.getConnection();
    } catch (SQLException down) {
      if (List.of(method.getExceptionTypes()).contains(SQLException.class)) {
        throw down;
      }
      throw new SQLClientInfoException(down.getMessage(), Map.of(), down); // setClientInfo's
    }
  }
}
