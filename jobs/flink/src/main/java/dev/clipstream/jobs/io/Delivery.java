package dev.clipstream.jobs.io;

import dev.clipstream.schemas.DeadLetter;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * What the tagging job's sinks promise ({@code output.delivery}). Exactly once: Kafka transactions
 * committed when a checkpoint completes, so a read_committed consumer sees each result once, a
 * checkpoint late. At least once: plain idempotent producers flushed before every checkpoint
 * barrier, so nothing is lost and records are readable as soon as they are written; a restart
 * replays from the last checkpoint and writes what came after it again, under the same key
 * (docs/reliability.md#delivery-modes).
 */
public enum Delivery {
  EXACTLY_ONCE("exactly-once", DeliveryGuarantee.EXACTLY_ONCE),
  AT_LEAST_ONCE("at-least-once", DeliveryGuarantee.AT_LEAST_ONCE);

  private final String key;
  private final DeliveryGuarantee guarantee;

  Delivery(String key, DeliveryGuarantee guarantee) {
    this.key = key;
    this.guarantee = guarantee;
  }

  /** The name in settings, e.g. {@code at-least-once}. */
  public String key() {
    return key;
  }

  /** The Kafka connector's guarantee that gives this mode. */
  public DeliveryGuarantee guarantee() {
    return guarantee;
  }

  /** Whether the sinks write in Kafka transactions (and need a transaction timeout). */
  public boolean transactional() {
    return this == EXACTLY_ONCE;
  }

  @Override
  public String toString() {
    return key;
  }

  /** The mode named {@code name}; a one-line exception listing the names for anything else. */
  public static Delivery parse(String name) {
    String given = name == null ? "" : name.strip();
    for (Delivery d : values()) {
      if (d.key.equals(given)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "'" + given + "' is not a delivery mode: " + names() + " are");
  }

  /** The names, separated by " | ". */
  public static String names() {
    return Arrays.stream(values()).map(Delivery::key).collect(Collectors.joining(" | "));
  }

  /**
   * The Kafka key of a dead letter in this mode. Exactly once keeps the event id (null when the
   * payload could not be read). At least once needs a key for every dead letter so that a replayed
   * one can be told from a new one: the event id, else the input's {@code topic/partition/offset},
   * which a replay reads again unchanged.
   */
  public String deadLetterKey(DeadLetter letter) {
    if (letter.getEventId() != null || this == EXACTLY_ONCE) {
      return letter.getEventId();
    }
    return letter.getSourceTopic()
        + "/"
        + letter.getSourcePartition()
        + "/"
        + letter.getSourceOffset();
  }
}
