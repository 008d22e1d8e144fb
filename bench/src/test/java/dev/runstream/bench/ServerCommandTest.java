package dev.runstream.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.bench.server.ManagedServer;
import dev.runstream.bench.server.StoreFlags;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The store and the scenario's options on the command line of the server the tool starts. */
class ServerCommandTest {

  private static final Path STORE = Path.of("/out/appends/store/runstream");

  @Test
  void withoutAStoreEveryStepGetsItsOwnH2Files() {
    List<String> command = command("appends");
    assertTrue(command.contains("-Dchat.store.path=" + STORE));
    assertTrue(StoreFlags.freshH2(Options.parse(new String[] {"appends"})));
  }

  @Test
  void storeUrlAndUserReplaceTheH2Files() {
    List<String> command =
        command(
            "appends", "--store-url", "jdbc:postgresql://127.0.0.1:5432/r", "--store-user", "r");
    assertTrue(command.contains("-Dchat.store.url=jdbc:postgresql://127.0.0.1:5432/r"));
    assertTrue(command.contains("-Dchat.store.user=r"));
    assertFalse(command.stream().anyMatch(a -> a.startsWith("-Dchat.store.path=")));
    assertFalse(command.stream().anyMatch(a -> a.startsWith("-Dchat.store.password=")));
  }

  @Test
  void serverOptsNamingTheStoreAreLeftAlone() {
    String[] args = {"stored", "--server-opts", "-Dchat.store.path=/elsewhere/db"};
    assertFalse(StoreFlags.freshH2(Options.parse(args)));
    List<String> command = command(args);
    assertEquals(
        List.of("-Dchat.store.path=/elsewhere/db"),
        command.stream().filter(a -> a.startsWith("-Dchat.store.")).toList());
  }

  @Test
  void storedKeepsEndedRunsLongerThanAnyFillAndServerOptsComeLastSoTheyWin() {
    List<String> command = command("stored", "--server-opts", "-Dchat.retention.minutes=5");
    int scenario = command.indexOf("-Dchat.retention.minutes=10080");
    int given = command.indexOf("-Dchat.retention.minutes=5");
    assertTrue(scenario > 0 && given > scenario);
    assertTrue(command.indexOf("-jar") > given);
  }

  @Test
  void theServerGetsTheSettingsOfTheRunCommand() {
    List<String> command = command("fanout");
    int at = command.indexOf("--prebootcommandfile");
    assertTrue(at > command.indexOf("-jar"));
    assertEquals("src/main/payara/preboot.asadmin", command.get(at + 1));
    List<String> other = command("fanout", "--server-preboot", "/x/other.asadmin");
    assertEquals("/x/other.asadmin", other.get(other.indexOf("--prebootcommandfile") + 1));
  }

  @Test
  void appendsTakesOneNumberOfRunsDefault100() {
    assertEquals(100, Options.parse(new String[] {"appends"}).appendRuns());
    assertEquals(4, Options.parse(new String[] {"appends", "--runs", "4"}).appendRuns());
  }

  @Test
  void appendsRefusesStepsOfRuns() {
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> Options.parse(new String[] {"appends", "--runs", "4,8"}));
  }

  private static List<String> command(String... args) {
    return ManagedServer.command(Options.parse(args), "8083", STORE);
  }
}
