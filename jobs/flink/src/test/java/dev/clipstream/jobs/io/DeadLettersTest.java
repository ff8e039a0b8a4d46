package dev.clipstream.jobs.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.clipstream.schemas.DeadLetter;
import dev.clipstream.schemas.FailureStage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A dead letter written after the decoder, from where the record is rather than the record: whole
 * when the operator was handed the value, else naming the record and its size as a cut one does.
 */
class DeadLettersTest {

  private static final RecordOrigin ORIGIN = new RecordOrigin("examples", 2, 41, 1_000L, 1234);

  @Test
  void aLetterWithoutThePayloadNamesTheRecordAndItsSizeAsACutPayloadDoes() {
    DeadLetter letter = DeadLetters.of(ORIGIN, null, "e-1", FailureStage.VALIDATE, "no label");

    assertEquals("examples", letter.getSourceTopic().toString());
    assertEquals(2, letter.getSourcePartition());
    assertEquals(41L, letter.getSourceOffset());
    assertEquals("e-1", letter.getEventId().toString());
    assertEquals(0, letter.getPayload().remaining());
    assertEquals(1234, letter.getOriginalPayloadBytes());
    DeadLetter capped = CapDeadLetterPayload.cap(letter, 16);
    assertEquals(1234, capped.getOriginalPayloadBytes(), "the cap keeps the original size");
  }

  @Test
  void aLetterWithThePayloadKeepsItWhole() {
    byte[] value = "the record's value".getBytes(StandardCharsets.UTF_8);
    DeadLetter letter = DeadLetters.of(ORIGIN, value, "e-1", FailureStage.VALIDATE, "no label");

    assertArrayEquals(value, bytes(letter.getPayload()));
    assertNull(letter.getOriginalPayloadBytes());
    assertEquals(
        DeadLetters.of(
                new KafkaRecord("examples", 2, 41, 1_000L, value),
                "e-1",
                FailureStage.VALIDATE,
                "no label")
            .getPayload(),
        letter.getPayload(),
        "the same letter as from the record itself");
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }
}
