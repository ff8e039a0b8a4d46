package dev.clipstream.jobs.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The resident set as the kernel reports it. */
class ProcStatusTest {

  @Test
  void readsTheTotalAndTheAnonymousResidentSetInKibibytes() {
    ProcStatus s =
        ProcStatus.parse(
            List.of(
                "Name:\tjava",
                "VmRSS:\t 1048576 kB",
                "RssAnon:\t  786432 kB",
                "RssFile:\t 262144 kB"));

    assertEquals(1L << 30, s.rssBytes());
    assertEquals(768L << 20, s.rssAnonBytes());
  }

  @Test
  void thisProcessHasAnAnonymousPartSmallerThanTheWhole() {
    ProcStatus s = ProcStatus.read();

    assertTrue(s.rssAnonBytes() > 0 && s.rssAnonBytes() <= s.rssBytes(), s.toString());
  }
}
