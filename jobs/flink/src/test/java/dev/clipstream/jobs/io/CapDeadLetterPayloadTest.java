package dev.clipstream.jobs.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.clipstream.schemas.DeadLetter;
import dev.clipstream.schemas.FailureStage;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A dead letter keeps at most the configured payload bytes and says how big the record was. */
class CapDeadLetterPayloadTest {

  @Test
  void cutsALargePayloadAndRecordsItsOriginalSize() {
    byte[] big = new byte[5_000];
    Arrays.fill(big, (byte) 7);
    big[0] = 1;
    DeadLetter cut = new CapDeadLetterPayload(1_024).map(letter(big));

    byte[] kept = new byte[cut.getPayload().remaining()];
    cut.getPayload().duplicate().get(kept);
    assertArrayEquals(Arrays.copyOf(big, 1_024), kept);
    assertEquals(5_000, cut.getOriginalPayloadBytes());
    DeadLetter read =
        SingleObjectCodec.of(DeadLetter.class)
            .decode(SingleObjectCodec.of(DeadLetter.class).encode(cut))
            .value();
    assertEquals(5_000, read.getOriginalPayloadBytes());
    assertEquals(1_024, read.getPayload().remaining());
  }

  @Test
  void leavesAPayloadWithinTheLimitWholeAndUnmarked() {
    DeadLetter whole = new CapDeadLetterPayload(1_024).map(letter(new byte[1_024]));

    assertEquals(1_024, whole.getPayload().remaining());
    assertNull(whole.getOriginalPayloadBytes());
  }

  static DeadLetter letter(byte[] payload) {
    KafkaRecord record = new KafkaRecord();
    record.topic = "images";
    record.partition = 0;
    record.offset = 42;
    record.value = payload;
    return DeadLetters.of(record, null, FailureStage.DECODE_IMAGE, "not an image");
  }
}
