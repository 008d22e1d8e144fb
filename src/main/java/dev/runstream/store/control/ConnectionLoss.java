package dev.runstream.store.control;

import java.sql.SQLException;
import java.util.Set;

/**
 * Whether a failure means the connection itself is gone, so the same work may be tried on another
 * one. Judged as HikariCP judges it: SQLState class 08 (connection exception), and PostgreSQL's
 * 57P01 to 57P03, which a stopping or restarting server sends to every open connection
 * ("terminating connection due to administrator command"): an idle pooled connection reports it at
 * its next use, not as class 08. And the embedded H2's 90098 and 90121 ("The database has been
 * closed", "called at shutdown"): H2 closes its database itself on a fault it cannot go on from (it
 * did when it failed to allocate a write buffer under attack), and every connection to it is dead
 * then; a new one opens the database again from its files.
 */
final class ConnectionLoss {

  private static final Set<String> SERVER_GOING_AWAY =
      Set.of("57P01", "57P02", "57P03", "90098", "90121");

  private ConnectionLoss() {}

  static boolean is(Throwable failure) {
    if (!(failure instanceof SQLException sql) || sql.getSQLState() == null) {
      return false;
    }
    String state = sql.getSQLState();
    return state.startsWith("08") || SERVER_GOING_AWAY.contains(state);
  }
}
