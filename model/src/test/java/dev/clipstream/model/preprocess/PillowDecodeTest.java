package dev.clipstream.model.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.model.weights.SafeTensorsFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every reference photo (written by Pillow 9.4 with libjpeg-turbo and libwebp) decodes to the RGB
 * bytes Pillow gives, {@code numpy.asarray(Image.open(f).convert("RGB"))}, and preprocesses to the
 * tensor OpenAI's transform gives: both identical, lossy WebP included (our own VP8 decoder with
 * libwebp's output conversion, {@link dev.clipstream.model.preprocess.webp.LossyWebp}).
 */
class PillowDecodeTest {

  static final ImagePreprocessor CLIP_224 = new ImagePreprocessor(PreprocessOptions.defaults(224));

  @ParameterizedTest
  @ValueSource(
      strings = {
        "jpeg/astronaut-q90-420.jpg",
        "jpeg/coffee-q75-444.jpg",
        "jpeg/astronaut-q85-422-progressive.jpg",
        "jpeg/camera-grey.jpg",
        "jpeg/coffee-cmyk.jpg",
        "jpeg/coffee-q60-420-restart.jpg",
        "jpeg/astronaut-adobergb-icc.jpg",
        "formats/astronaut-lossy.webp",
        "formats/coffee-lossless.webp",
        "formats/coffee.tiff",
        "formats/astronaut-anim.gif"
      })
  void decodesAndPreprocessesExactlyAsPillow(String path) throws IOException {
    String name = path.substring(path.indexOf('/') + 1);
    String folder = path.substring(0, path.indexOf('/'));
    DecodedImage image = decode(resource(path));

    assertArrayEquals(pillowRgb(folder, name), image.toRgb().pixels(), name + " RGB bytes");
    assertArrayEquals(
        expected(folder, name), CLIP_224.preprocess(image), name + " preprocessed tensor");
  }

  /**
   * The JPEGs again through the JDK's reader alone, the path of a machine without libjpeg-turbo
   * (and of every JPEG TurboJPEG leaves to it): the same bytes as Pillow.
   */
  @ParameterizedTest
  @MethodSource("plainJpegs")
  void theJdkReaderAloneDecodesTheJpegsExactlyAsPillow(String name) throws IOException {
    DecodedImage image =
        assertInstanceOf(
                DecodeOutcome.Decoded.class,
                new ImageDecoder(
                        PreprocessOptions.DEFAULT_MAX_PIXELS,
                        PreprocessOptions.DEFAULT_MAX_BYTES,
                        false,
                        false)
                    .decode(resource("jpeg/" + name)))
            .image();

    assertArrayEquals(pillowRgb("jpeg", name), image.toRgb().pixels(), name + " RGB bytes");
  }

  /** The reference JPEGs that are not CMYK: what libjpeg-turbo's path takes too. */
  static Stream<String> plainJpegs() {
    return Stream.of(
        "astronaut-q90-420.jpg",
        "coffee-q75-444.jpg",
        "astronaut-q85-422-progressive.jpg",
        "camera-grey.jpg",
        "coffee-q60-420-restart.jpg",
        "astronaut-adobergb-icc.jpg");
  }

  @Test
  void applyingTheEmbeddedIccProfileIsAnOptionThatChangesTheColours() throws IOException {
    byte[] jpeg = resource("jpeg/astronaut-adobergb-icc.jpg");
    DecodedImage managed =
        assertInstanceOf(
                DecodeOutcome.Decoded.class,
                new ImageDecoder(
                        PreprocessOptions.DEFAULT_MAX_PIXELS,
                        PreprocessOptions.DEFAULT_MAX_BYTES,
                        true)
                    .decode(jpeg))
            .image();
    byte[] pillow = pillowRgb("jpeg", "astronaut-adobergb-icc.jpg");

    long sum = 0;
    for (int i = 0; i < pillow.length; i++) {
      sum += Math.abs((pillow[i] & 0xff) - (managed.pixels()[i] & 0xff));
    }
    // Adobe RGB's wider primaries pull saturated colours out further once converted to sRGB.
    assertTrue(sum / (double) pillow.length > 1, "mean difference " + sum / (double) pillow.length);
  }

  @Test
  void strippingLeavesAJpegWithoutAProfileAsItIs() throws IOException {
    byte[] plain = resource("jpeg/astronaut-q90-420.jpg");
    byte[] withProfile = resource("jpeg/astronaut-adobergb-icc.jpg");

    assertTrue(plain == JpegIccProfile.strip(plain));
    assertTrue(JpegIccProfile.strip(withProfile).length < withProfile.length - 500);
  }

  static DecodedImage decode(byte[] bytes) {
    return assertInstanceOf(
            DecodeOutcome.Decoded.class,
            new ImageDecoder(
                    PreprocessOptions.DEFAULT_MAX_PIXELS, PreprocessOptions.DEFAULT_MAX_BYTES)
                .decode(bytes))
        .image();
  }

  static byte[] pillowRgb(String folder, String name) throws IOException {
    ByteBuffer raw =
        SafeTensorsFile.read(resource(folder + "/decoded.safetensors")).raw(name).duplicate();
    byte[] out = new byte[raw.remaining()];
    raw.get(out);
    return out;
  }

  static float[] expected(String folder, String name) throws IOException {
    return SafeTensorsFile.read(resource(folder + "/expected.safetensors")).floats(name);
  }

  static byte[] resource(String name) throws IOException {
    try (InputStream in = PillowDecodeTest.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("no test resource " + name);
      }
      return in.readAllBytes();
    }
  }
}
