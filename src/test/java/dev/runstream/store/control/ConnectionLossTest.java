package dev.runstream.store.control;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class ConnectionLossTest {

  @Test
  void connectionExceptionsMeanTheConnectionIsGone() {
    assertTrue(ConnectionLoss.is(new SQLException("I/O error", "08006")));
    assertTrue(ConnectionLoss.is(new SQLException("This connection has been closed.", "08003")));
    assertTrue(ConnectionLoss.is(new SQLException("refused", "08001")));
  }

  /**
   * What an idle pooled connection reports at its next use after PostgreSQL stopped or restarted.
   */
  @Test
  void aServerThatShutDownOrRestartedMeansTheConnectionIsGone() {
    assertTrue(
        ConnectionLoss.is(
            new SQLException("terminating connection due to administrator command", "57P01")));
    assertTrue(ConnectionLoss.is(new SQLException("crash shutdown", "57P02")));
    assertTrue(ConnectionLoss.is(new SQLException("the database system is starting up", "57P03")));
  }

  /** What H2 says on every connection to a database that closed itself after a fault. */
  @Test
  void anEmbeddedDatabaseThatClosedMeansTheConnectionIsGone() {
    assertTrue(ConnectionLoss.is(new SQLException("The database has been closed", "90098")));
    assertTrue(ConnectionLoss.is(new SQLException("Database called at shutdown", "90121")));
  }

  @Test
  void otherFailuresAreTheWorksOwn() {
    assertFalse(ConnectionLoss.is(new SQLException("duplicate key", "23505")));
    assertFalse(ConnectionLoss.is(new SQLException("canceling statement", "57014")));
    assertFalse(ConnectionLoss.is(new SQLException("no state")));
    assertFalse(ConnectionLoss.is(new IOException("not SQL")));
    assertFalse(ConnectionLoss.is(null));
  }
}
