package dev.clipstream.schemas.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.clipstream.schemas.DeadLetter;
import dev.clipstream.schemas.ImageEvent;
import dev.clipstream.schemas.LabelSetDefinition;
import dev.clipstream.schemas.ModelUpdate;
import dev.clipstream.schemas.TagResult;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * Whatever bytes arrive on a topic, the single-object decoder returns a value or a typed failure
 * (never throws, never runs out of memory on a length it was told), and a decoded record encodes
 * back to bytes that decode to the same record. Plain test runs replay the seed corpus in {@code
 * SingleObjectCodecFuzzTestInputs/}; {@code JAZZER_FUZZ=1} explores.
 */
class SingleObjectCodecFuzzTest {

  static final List<SingleObjectCodec<? extends SpecificRecord>> CODECS =
      List.of(
          SingleObjectCodec.of(ImageEvent.class),
          SingleObjectCodec.of(TagResult.class),
          SingleObjectCodec.of(ModelUpdate.class),
          SingleObjectCodec.of(LabelSetDefinition.class),
          SingleObjectCodec.of(DeadLetter.class));

  @FuzzTest(maxDuration = "3m")
  void decodesOrSaysWhyNot(byte[] payload) {
    for (SingleObjectCodec<? extends SpecificRecord> codec : CODECS) {
      roundTrip(codec, payload);
    }
  }

  private static <T extends SpecificRecord> void roundTrip(SingleObjectCodec<T> codec, byte[] in) {
    DecodeResult<T> result = codec.decode(in);
    assertNotNull(result);
    if (result instanceof DecodeResult.Decoded<T> ok) {
      byte[] again = codec.encode(ok.value());
      DecodeResult<T> reread = codec.decode(again);
      assertArrayEquals(again, codec.encode(((DecodeResult.Decoded<T>) reread).value()));
    }
  }
}
