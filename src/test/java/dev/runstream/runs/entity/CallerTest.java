package dev.runstream.runs.entity;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CallerTest {

  @Test
  void aUserSeesItsOwnRunsOnly() {
    Caller alice = Caller.user("alice", false);
    assertTrue(alice.mayAccess("run_1", "alice"));
    assertFalse(alice.mayAccess("run_1", "bob"));
    assertFalse(alice.mayAccess("run_1", null), "a run made with identity off is no one's");
    assertEquals("alice", alice.listedOwner());
    assertThrows(NotAdminException.class, alice::requireAdmin);
  }

  @Test
  void anAdministratorAndAnyoneSeeEveryRun() {
    for (Caller all : new Caller[] {Caller.user("root", true), Caller.ANYONE}) {
      assertTrue(all.mayAccess("run_1", "bob"));
      assertTrue(all.mayAccess("run_1", null));
      assertNull(all.listedOwner());
      assertDoesNotThrow(all::requireAdmin);
    }
    assertNull(Caller.ANYONE.subject(), "runs made with identity off have no owner");
  }

  @Test
  void aProducerReachesItsOwnRunOnly() {
    Caller producer = Caller.producer("run_1");
    assertTrue(producer.mayAccess("run_1", "alice"));
    assertFalse(producer.mayAccess("run_2", "alice"));
    assertNull(producer.subject());
    assertThrows(NotAdminException.class, producer::requireAdmin);
  }
}
