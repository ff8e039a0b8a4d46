package dev.clipstream.jobs.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The test leak grows this process's anonymous resident set by what it says it holds. */
class InjectedLeakTest {

  @Test
  void everyEventAddsItsBytesToTheResidentSet() {
    InjectedLeak leak = new InjectedLeak(1024);
    leak.onEvent(); // reserves the first region; touches one page
    long before = ProcStatus.read().rssAnonBytes();
    int events = 40_000; // 39 MiB: crosses into a second region
    for (int i = 0; i < events; i++) {
      leak.onEvent();
    }
    long grown = ProcStatus.read().rssAnonBytes() - before;
    assertEquals((events + 1) * 1024L, leak.heldBytes());
    assertTrue(
        grown >= 0.95 * events * 1024, "resident set grew by " + grown + " bytes, not ~39 MiB");
  }

  @Test
  void offLeaksNothing() {
    InjectedLeak leak = new InjectedLeak(0);
    for (int i = 0; i < 1000; i++) {
      leak.onEvent();
    }
    assertEquals(0, leak.heldBytes());
  }
}
