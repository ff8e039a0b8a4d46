package dev.clipstream.jobs.io;

import dev.clipstream.schemas.DeadLetter;
import java.nio.ByteBuffer;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Keeps at most {@code maxPayloadBytes} of a dead letter's payload (config key {@code
 * dead-letters.max-payload-bytes}) and records the original size when it cuts: a flood of huge
 * rejects must not make the dead-letter topic the biggest one. The source topic, partition and
 * offset still lead to the whole record while the input topic retains it.
 */
public final class CapDeadLetterPayload implements MapFunction<DeadLetter, DeadLetter> {
  private static final long serialVersionUID = 1L;

  /** 1 MiB: Kafka's default largest record, so an uncut letter always fits its topic. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1 << 20;

  private final int maxPayloadBytes;

  public CapDeadLetterPayload(int maxPayloadBytes) {
    if (maxPayloadBytes < 0) {
      throw new IllegalArgumentException(
          "dead-letters.max-payload-bytes must be 0 or more, not " + maxPayloadBytes);
    }
    this.maxPayloadBytes = maxPayloadBytes;
  }

  @Override
  public DeadLetter map(DeadLetter letter) {
    return cap(letter, maxPayloadBytes);
  }

  /** {@code letter} with its payload cut to {@code max} bytes, noting the original size. */
  public static DeadLetter cap(DeadLetter letter, int max) {
    ByteBuffer payload = letter.getPayload();
    int size = payload.remaining();
    if (size <= max) {
      return letter;
    }
    byte[] head = new byte[max];
    payload.duplicate().get(head);
    letter.setPayload(ByteBuffer.wrap(head));
    letter.setOriginalPayloadBytes(size);
    return letter;
  }
}
