package dev.clipstream.jobs.soak;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;

/**
 * What came back for the soak's events: results and dead letters counted, and each event number
 * marked once in a bit set (a bit per event: a set of id strings would itself grow the heap by
 * about a hundred bytes per event, the size of leak the soak is meant to find). Keys are event ids
 * ending in {@code -<n>}.
 */
final class OutputLedger {
  private final BitSet seen = new BitSet();
  private long results;
  private long deadLetters;
  private long duplicates;
  private long unknownKeys;

  synchronized void record(boolean result, byte[] key) {
    if (result) {
      results++;
    } else {
      deadLetters++;
    }
    long n = eventNumber(key);
    if (n < 0 || n > Integer.MAX_VALUE) {
      unknownKeys++;
    } else if (seen.get((int) n)) {
      duplicates++;
    } else {
      seen.set((int) n);
    }
  }

  synchronized long processed() {
    return results + deadLetters;
  }

  synchronized long results() {
    return results;
  }

  synchronized long deadLetters() {
    return deadLetters;
  }

  synchronized long duplicates() {
    return duplicates;
  }

  /** Events 0 to {@code produced - 1} each came back exactly once, and nothing else did. */
  synchronized boolean accountsFor(long produced) {
    return duplicates == 0
        && unknownKeys == 0
        && results + deadLetters == produced
        && seen.cardinality() == produced
        && seen.nextClearBit(0) == produced;
  }

  static long eventNumber(byte[] key) {
    if (key == null) {
      return -1;
    }
    String id = new String(key, StandardCharsets.UTF_8);
    int dash = id.lastIndexOf('-');
    try {
      return Long.parseLong(id.substring(dash + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
