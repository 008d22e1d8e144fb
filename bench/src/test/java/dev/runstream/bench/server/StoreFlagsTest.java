package dev.runstream.bench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What goes into results files of the store's settings. */
class StoreFlagsTest {

  @Test
  void passwordIsNeverWritten() {
    assertEquals("-Dchat.store.password=***", StoreFlags.redact("-Dchat.store.password=s3cret"));
  }

  @Test
  void queryOfAJdbcUrlIsNotWritten() {
    assertEquals(
        "jdbc:postgresql://db:5432/runstream?***",
        StoreFlags.redact("jdbc:postgresql://db:5432/runstream?user=a&password=s3cret"));
  }

  @Test
  void everyArgumentOfALineIsRedactedAndTheRestKept() {
    assertEquals(
        "java -Dchat.store.url=jdbc:postgresql://db/r?*** -Dchat.store.password=***  -jar x.jar",
        StoreFlags.redact(
            "java -Dchat.store.url=jdbc:postgresql://db/r?password=p -Dchat.store.password=p "
                + " -jar x.jar"));
  }

  @Test
  void otherArgumentsAreKept() {
    assertEquals("http://host:8080/x?y=1", StoreFlags.redact("http://host:8080/x?y=1"));
  }
}
