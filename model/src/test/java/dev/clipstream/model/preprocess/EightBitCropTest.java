package dev.clipstream.model.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The crop a stream carries between operators ({@link ImagePreprocessor#crop}) normalised where the
 * batch is made gives the very floats the one-step preprocessing gives, for the reference images
 * and every real format fixture, at the tagging job's sizes.
 */
class EightBitCropTest {

  @ParameterizedTest
  @CsvSource({
    "astronaut.png, 224",
    "coffee.png, 224",
    "camera.png, 224",
    "palette_color.png, 224",
    "jpeg/astronaut-adobergb-icc.jpg, 224",
    "jpeg/astronaut-q85-422-progressive.jpg, 224",
    "jpeg/astronaut-q90-420.jpg, 224",
    "jpeg/camera-grey.jpg, 224",
    "jpeg/coffee-cmyk.jpg, 224",
    "jpeg/coffee-q60-420-restart.jpg, 224",
    "jpeg/coffee-q75-444.jpg, 224",
    "formats/astronaut-anim.gif, 224",
    "formats/astronaut-lossy.webp, 224",
    "formats/coffee-lossless.webp, 224",
    "formats/coffee.tiff, 224",
    "formats/offset-frame-transparent.gif, 224",
    "astronaut.png, 28",
    "jpeg/coffee-cmyk.jpg, 28",
    "jpeg/camera-grey.jpg, 28",
    "palette_color.png, 28"
  })
  void normalisingTheEightBitCropGivesTheSameFloatsAsPreprocessing(String name, int size)
      throws IOException {
    ImagePreprocessor preprocessor = new ImagePreprocessor(PreprocessOptions.defaults(size));
    byte[] encoded = ImagePreprocessorTest.resource(name);

    float[] direct =
        assertInstanceOf(ImagePreprocessor.Pixels.class, preprocessor.preprocess(encoded)).chw();
    ImagePreprocessor.Crop crop =
        assertInstanceOf(ImagePreprocessor.Crop.class, preprocessor.crop(encoded));

    assertEquals(3 * size * size, crop.rgb().length, "one byte per value");
    assertEquals(size, crop.size());
    assertArrayEquals(bits(direct), bits(crop.normalised()), name);
    assertArrayEquals(ImagePreprocessor.quantise(direct), crop.rgb(), "the crop the floats encode");
  }

  @ParameterizedTest
  @ValueSource(strings = {"astronaut.png", "jpeg/coffee-cmyk.jpg"})
  void normalisesACropIntoItsPlaceInABatch(String name) throws IOException {
    ImagePreprocessor preprocessor = new ImagePreprocessor(PreprocessOptions.defaults(224));
    byte[] encoded = ImagePreprocessorTest.resource(name);
    float[] direct = ((ImagePreprocessor.Pixels) preprocessor.preprocess(encoded)).chw();
    byte[] rgb = ((ImagePreprocessor.Crop) preprocessor.crop(encoded)).rgb();

    float[] batch = new float[3 * rgb.length];
    ImagePreprocessor.normaliseInto(rgb, batch, rgb.length);

    float[] second = java.util.Arrays.copyOfRange(batch, rgb.length, 2 * rgb.length);
    assertArrayEquals(bits(direct), bits(second));
    assertEquals(0f, batch[rgb.length - 1]);
    assertEquals(0f, batch[2 * rgb.length]);
  }

  @org.junit.jupiter.api.Test
  void refusesWhatPreprocessingRefuses() {
    ImagePreprocessor preprocessor = new ImagePreprocessor(PreprocessOptions.defaults(28));
    byte[] bomb = ImagePreprocessorTest.pngWithHeader(100_000, 100_000);

    ImagePreprocessor.Refused refused =
        assertInstanceOf(ImagePreprocessor.Refused.class, preprocessor.crop(bomb));

    assertEquals(DecodeOutcome.Reason.TOO_MANY_PIXELS, refused.rejection().reason());
  }

  private static int[] bits(float[] values) {
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Float.floatToIntBits(values[i]);
    }
    return out;
  }
}
