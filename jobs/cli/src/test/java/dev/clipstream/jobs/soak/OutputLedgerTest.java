package dev.clipstream.jobs.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Inputs = results + dead letters, each event once. */
class OutputLedgerTest {

  static byte[] key(String id) {
    return id.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everyEventOnceIsAccountedFor() {
    OutputLedger ledger = new OutputLedger();
    ledger.record(true, key("soak-0"));
    ledger.record(false, key("soak-2"));
    ledger.record(true, key("soak-1"));

    assertTrue(ledger.accountsFor(3));
    assertEquals(2, ledger.results());
    assertEquals(1, ledger.deadLetters());
  }

  @Test
  void aDuplicateOrAMissingEventIsNot() {
    OutputLedger duplicate = new OutputLedger();
    duplicate.record(true, key("soak-0"));
    duplicate.record(true, key("soak-0"));
    OutputLedger missing = new OutputLedger();
    missing.record(true, key("soak-0"));
    missing.record(true, key("soak-2"));

    assertFalse(duplicate.accountsFor(2));
    assertEquals(1, duplicate.duplicates());
    assertFalse(missing.accountsFor(2));
    assertFalse(missing.accountsFor(3));
  }

  @Test
  void aKeyThatIsNoSoakEventIsNot() {
    OutputLedger ledger = new OutputLedger();
    ledger.record(true, key("soak-0"));
    ledger.record(false, null);

    assertFalse(ledger.accountsFor(2));
  }
}
