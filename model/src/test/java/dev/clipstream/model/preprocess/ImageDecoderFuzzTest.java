package dev.clipstream.model.preprocess;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Whatever bytes an event carries, the image decoder returns pixels or a one-line rejection: it
 * never throws, and never allocates more pixels than its limit allows (the limit here is small, so
 * a header that lies about its size is caught quickly). Plain test runs replay the seed corpus in
 * {@code ImageDecoderFuzzTestInputs/}; {@code JAZZER_FUZZ=1} explores.
 */
class ImageDecoderFuzzTest {

  /** Small limits: the fuzzer's inputs are small, and a bomb must be refused from its header. */
  static final ImageDecoder DECODER = new ImageDecoder(1 << 20, 1 << 20);

  @FuzzTest(maxDuration = "3m")
  void decodesOrRejects(byte[] bytes) {
    DecodeOutcome outcome = DECODER.decode(bytes);
    assertNotNull(outcome);
    if (outcome instanceof DecodeOutcome.Rejected rejected) {
      assertFalse(rejected.message().contains("\n"), rejected.message());
    } else if (outcome instanceof DecodeOutcome.Decoded decoded) {
      DecodedImage image = decoded.image();
      assertTrue(
          (long) image.width() * image.height() <= 1 << 20, image.width() + "x" + image.height());
    }
  }
}
