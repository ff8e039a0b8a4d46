package dev.clipstream.model.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * libjpeg-turbo through TurboJPEG, where the machine has it ({@code libturbojpeg0}; CI installs
 * it): Pillow's bytes for every plain reference JPEG, and everything else left to the JDK's reader.
 */
class TurboJpegTest {

  @BeforeEach
  void needsTheLibrary() {
    assumeTrue(
        TurboJpeg.available(), "libturbojpeg is not installed (apt-get install libturbojpeg0)");
  }

  @ParameterizedTest
  @MethodSource("dev.clipstream.model.preprocess.PillowDecodeTest#plainJpegs")
  void decodesThePlainJpegsToPillowsBytes(String name) throws IOException {
    DecodedImage image = turbo(PillowDecodeTest.resource("jpeg/" + name), Long.MAX_VALUE);

    assertNotNull(image, name + " left to the JDK");
    assertArrayEquals(
        PillowDecodeTest.pillowRgb("jpeg", name), image.toRgb().pixels(), name + " RGB bytes");
  }

  /**
   * One scratch kept across every plain JPEG, in an order whose sizes grow and shrink, decodes each
   * to Pillow's bytes: the native buffers a larger file left behind change nothing.
   */
  @Test
  void oneScratchAcrossJpegsOfDifferentSizesGivesPillowsBytesForEach() throws IOException {
    try (DecodeScratch scratch = new DecodeScratch()) {
      for (int pass = 0; pass < 2; pass++) {
        for (String name : PillowDecodeTest.plainJpegs().toList()) {
          DecodedImage image =
              TurboJpeg.decode(PillowDecodeTest.resource("jpeg/" + name), Long.MAX_VALUE, scratch);

          assertNotNull(image, name + " left to the JDK");
          assertArrayEquals(
              PillowDecodeTest.pillowRgb("jpeg", name),
              image.toRgb().pixels(),
              name + " pass " + pass);
        }
      }
    }
  }

  /**
   * A stream operator's path: the plain JPEGs, larger and smaller in turn through one scratch, are
   * decoded into its pixel buffer (longer than all but the largest of them) rather than into arrays
   * of their own, and still preprocess to OpenAI's tensors and crop to their exact bytes.
   */
  @Test
  void oneScratchPreprocessesJpegsOfEverySizeFromItsPixelBufferToOpenAisTensors()
      throws IOException {
    ImageDecoder decoder = new ImageDecoder(Long.MAX_VALUE, Integer.MAX_VALUE);
    try (DecodeScratch scratch = new DecodeScratch()) {
      for (int pass = 0; pass < 2; pass++) {
        for (String name : PillowDecodeTest.plainJpegs().toList()) {
          byte[] file = PillowDecodeTest.resource("jpeg/" + name);
          float[] expected = PillowDecodeTest.expected("jpeg", name);
          assertNotNull(decoder.plainJpegInScratch(file, scratch), name + " left to the JDK");

          ImagePreprocessor.Outcome tensor = PillowDecodeTest.CLIP_224.preprocess(file, scratch);
          ImagePreprocessor.Outcome crop = PillowDecodeTest.CLIP_224.crop(file, scratch);

          assertArrayEquals(
              expected, ((ImagePreprocessor.Pixels) tensor).chw(), name + " pass " + pass);
          assertArrayEquals(
              ImagePreprocessor.quantise(expected),
              ((ImagePreprocessor.Crop) crop).rgb(),
              name + " crop, pass " + pass);
        }
      }
    }
  }

  @Test
  void aClosedScratchIsRefused() throws IOException {
    DecodeScratch scratch = new DecodeScratch();
    scratch.close();

    assertThrows(
        IllegalStateException.class,
        () ->
            TurboJpeg.decode(
                PillowDecodeTest.resource("jpeg/astronaut-q90-420.jpg"), Long.MAX_VALUE, scratch));
  }

  /**
   * The decoder takes libjpeg-turbo's path: an arithmetic-coded JPEG (written by libjpeg-turbo's
   * {@code cjpeg -arithmetic}), which the JDK's reader refuses, decodes to the same pixels as the
   * same image Huffman-coded (the same encoder, quality and sampling; the entropy coding is
   * lossless) decoded by the JDK's reader alone. Pillow gives these bytes for both files too.
   */
  @Test
  void theDecoderSendsJpegsToLibjpegTurboWhichReadsWhatTheJdkCannot() throws IOException {
    byte[] arithmetic = PillowDecodeTest.resource("jpeg/astronaut-128-arithmetic.jpg");
    byte[] huffman = PillowDecodeTest.resource("jpeg/astronaut-128-huffman.jpg");
    long pixels = PreprocessOptions.DEFAULT_MAX_PIXELS;
    int bytes = PreprocessOptions.DEFAULT_MAX_BYTES;
    ImageDecoder jdkOnly = new ImageDecoder(pixels, bytes, false, false);

    DecodedImage viaTurbo =
        assertInstanceOf(
                DecodeOutcome.Decoded.class, new ImageDecoder(pixels, bytes).decode(arithmetic))
            .image();
    DecodedImage viaJdk =
        assertInstanceOf(DecodeOutcome.Decoded.class, jdkOnly.decode(huffman)).image();

    assertEquals(128, viaTurbo.width());
    assertArrayEquals(viaJdk.pixels(), viaTurbo.pixels());
    assertInstanceOf(DecodeOutcome.Rejected.class, jdkOnly.decode(arithmetic));
  }

  @Test
  void keepsAGreyJpegToOneChannel() throws IOException {
    DecodedImage image = turbo(PillowDecodeTest.resource("jpeg/camera-grey.jpg"), Long.MAX_VALUE);

    assertEquals(1, image.channels());
  }

  @Test
  void leavesCmykToTheJdkReader() throws IOException {
    assertNull(turbo(PillowDecodeTest.resource("jpeg/coffee-cmyk.jpg"), Long.MAX_VALUE));
  }

  @Test
  void leavesAnImageOverThePixelLimitToTheJdkReaderWhichRefusesIt() throws IOException {
    byte[] jpeg = PillowDecodeTest.resource("jpeg/astronaut-q90-420.jpg");

    assertNull(turbo(jpeg, 512L * 512 - 1));
    DecodeOutcome.Rejected refused =
        assertInstanceOf(
            DecodeOutcome.Rejected.class, new ImageDecoder(512L * 512 - 1, 1 << 24).decode(jpeg));
    assertEquals(DecodeOutcome.Reason.TOO_MANY_PIXELS, refused.reason());
  }

  @Test
  void leavesACutShortJpegToTheJdkReaderWhichCallsItDamaged() throws IOException {
    byte[] jpeg = PillowDecodeTest.resource("jpeg/astronaut-q90-420.jpg");
    byte[] cut = Arrays.copyOf(jpeg, jpeg.length / 2);

    assertNull(turbo(cut, Long.MAX_VALUE));
    DecodeOutcome.Rejected refused =
        assertInstanceOf(
            DecodeOutcome.Rejected.class,
            new ImageDecoder(
                    PreprocessOptions.DEFAULT_MAX_PIXELS, PreprocessOptions.DEFAULT_MAX_BYTES)
                .decode(cut));
    assertEquals(DecodeOutcome.Reason.CORRUPT, refused.reason());
  }

  @Test
  void leavesBytesThatAreNoJpegToTheJdkReader() {
    assertNull(turbo(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3}, 1 << 20));
  }

  /** TurboJPEG's decode with working memory of its own. */
  private static DecodedImage turbo(byte[] jpeg, long maxPixels) {
    try (DecodeScratch scratch = new DecodeScratch()) {
      return TurboJpeg.decode(jpeg, maxPixels, scratch);
    }
  }
}
