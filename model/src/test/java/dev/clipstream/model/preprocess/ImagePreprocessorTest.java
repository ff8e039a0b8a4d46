package dev.clipstream.model.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.model.weights.SafeTensorsFile;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImagePreprocessorTest {

  static final ImagePreprocessor CLIP_224 = new ImagePreprocessor(PreprocessOptions.defaults(224));

  static byte[] resource(String name) throws IOException {
    try (InputStream in = ImagePreprocessorTest.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"astronaut.png", "coffee.png", "camera.png", "palette_color.png"})
  void matchesOpenAisPreprocessingOfTheReferenceImages(String name) throws IOException {
    float[] expected = SafeTensorsFile.read(resource("expected.safetensors")).floats(name);

    float[] ours =
        assertInstanceOf(ImagePreprocessor.Pixels.class, CLIP_224.preprocess(resource(name))).chw();

    assertEquals(expected.length, ours.length);
    double sum = 0;
    double max = 0;
    for (int i = 0; i < ours.length; i++) {
      double d = Math.abs(ours[i] - expected[i]);
      sum += d;
      max = Math.max(max, d);
    }
    double mean = sum / ours.length;
    System.out.printf(
        "preprocess %-18s mean |diff| %.6f, max %.6f (normalised units)%n", name, mean, max);
    assertTrue(mean <= 0.01, "mean " + mean);
    assertTrue(max <= 0.15, "max " + max);
  }

  @ParameterizedTest
  @ValueSource(strings = {"astronaut.png", "coffee.png", "camera.png", "palette_color.png"})
  void keepsAPreprocessedImageAsItsEightBitCropAndGivesBackTheSameFloats(String name)
      throws IOException {
    float[] chw =
        assertInstanceOf(ImagePreprocessor.Pixels.class, CLIP_224.preprocess(resource(name))).chw();

    byte[] rgb = ImagePreprocessor.quantise(chw);
    float[] again = new float[chw.length + 5];
    ImagePreprocessor.normaliseInto(rgb, again, 5);

    assertEquals(chw.length, rgb.length, "one byte per value");
    for (int i = 0; i < chw.length; i++) {
      assertEquals(Float.floatToIntBits(chw[i]), Float.floatToIntBits(again[i + 5]), "value " + i);
    }
  }

  @Test
  void refusesToQuantiseValuesThePreprocessorCannotHaveMade() {
    float[] chw = {0.123456f, 0.5f, 0.5f};
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> ImagePreprocessor.quantise(chw));
    assertTrue(e.getMessage().contains("not a normalised 8-bit value"), e.getMessage());
  }

  @Test
  void rejectsDecompressionBombBeforeDecoding() {
    byte[] bomb = pngWithHeader(100_000, 100_000);

    DecodeOutcome.Rejected r =
        assertInstanceOf(
            DecodeOutcome.Rejected.class, new ImageDecoder(40_000_000, 1 << 20).decode(bomb));

    assertEquals(DecodeOutcome.Reason.TOO_MANY_PIXELS, r.reason());
    assertTrue(r.message().contains("100000x100000"), r.message());
  }

  @Test
  void rejectsMoreBytesThanTheLimit() throws IOException {
    byte[] png = encode(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png");
    DecodeOutcome.Rejected r =
        assertInstanceOf(
            DecodeOutcome.Rejected.class, new ImageDecoder(1000, png.length - 1).decode(png));
    assertEquals(DecodeOutcome.Reason.TOO_MANY_BYTES, r.reason());
  }

  @Test
  void rejectsEmptyAndRandomBytes() {
    ImageDecoder decoder = new ImageDecoder(1000, 1000);
    assertEquals(
        DecodeOutcome.Reason.EMPTY,
        ((DecodeOutcome.Rejected) decoder.decode(new byte[0])).reason());
    byte[] noise = new byte[300];
    new java.util.Random(3).nextBytes(noise);
    assertEquals(
        DecodeOutcome.Reason.UNSUPPORTED_FORMAT,
        ((DecodeOutcome.Rejected) decoder.decode(noise)).reason());
  }

  @ParameterizedTest
  @ValueSource(strings = {"png", "jpg"})
  void rejectsATruncatedImageAsCorrupt(String format) throws IOException {
    BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        image.setRGB(x, y, (x * 4) << 16 | (y * 4) << 8 | ((x + y) * 2));
      }
    }
    byte[] whole = encode(image, format);
    byte[] cut = Arrays.copyOf(whole, whole.length / 2);

    DecodeOutcome.Rejected r =
        assertInstanceOf(
            DecodeOutcome.Rejected.class, new ImageDecoder(1 << 20, 1 << 20).decode(cut));
    assertEquals(DecodeOutcome.Reason.CORRUPT, r.reason(), r.message());
  }

  @Test
  void scalesA16BitGreyPngTo8Bits() throws IOException {
    BufferedImage grey16 = new BufferedImage(4, 4, BufferedImage.TYPE_USHORT_GRAY);
    int[] samples = new int[16];
    Arrays.fill(samples, 0xFFFF);
    grey16.getRaster().setSamples(0, 0, 4, 4, 0, samples);

    DecodedImage decoded =
        ((DecodeOutcome.Decoded) new ImageDecoder(1000, 1 << 20).decode(encode(grey16, "png")))
            .image();

    assertEquals(1, decoded.channels());
    assertEquals(255, decoded.at(2, 2, 0));
  }

  @Test
  void readsAPalettePngWithAlphaAsItsColours() throws IOException {
    byte[] r = {(byte) 255, 0};
    byte[] g = {0, (byte) 255};
    byte[] b = {0, 0};
    byte[] a = {(byte) 255, 0};
    BufferedImage indexed =
        new BufferedImage(
            2, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(1, 2, r, g, b, a));
    indexed.getRaster().setSample(1, 0, 0, 1);

    DecodedImage decoded =
        ((DecodeOutcome.Decoded) new ImageDecoder(1000, 1 << 20).decode(encode(indexed, "png")))
            .image();

    assertTrue(decoded.indexed());
    assertEquals(255, decoded.at(0, 0, 0));
    assertEquals(255, decoded.at(1, 0, 1));
    float[] pixels =
        assertInstanceOf(
                ImagePreprocessor.Pixels.class,
                new ImagePreprocessor(PreprocessOptions.defaults(8))
                    .preprocess(encode(indexed, "png")))
            .chw();
    assertEquals(3 * 8 * 8, pixels.length);
  }

  @Test
  void mapsAUniformColourToItsNormalisedValueWhateverTheSize() throws IOException {
    for (int size : new int[] {1, 7, 300}) {
      BufferedImage image = new BufferedImage(size, size + 3, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < size + 3; y++) {
        for (int x = 0; x < size; x++) {
          image.setRGB(x, y, 0x804020);
        }
      }
      float[] chw =
          ((ImagePreprocessor.Pixels)
                  new ImagePreprocessor(PreprocessOptions.defaults(16))
                      .preprocess(encode(image, "png")))
              .chw();
      int n = 16 * 16;
      assertEquals(
          (0x80 / 255f - ImagePreprocessor.CLIP_MEAN[0]) / ImagePreprocessor.CLIP_STD[0],
          chw[5],
          1e-5,
          "red, size " + size);
      assertEquals(
          (0x40 / 255f - ImagePreprocessor.CLIP_MEAN[1]) / ImagePreprocessor.CLIP_STD[1],
          chw[n + 5],
          1e-5);
      assertEquals(
          (0x20 / 255f - ImagePreprocessor.CLIP_MEAN[2]) / ImagePreprocessor.CLIP_STD[2],
          chw[2 * n + 5],
          1e-5);
    }
  }

  @Test
  void widensTheFilterWhenShrinkingSoACheckerboardAveragesInsteadOfAliasing() {
    byte[] board = new byte[16 * 16];
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        board[y * 16 + x] = (byte) (((x + y) % 2) * 255);
      }
    }
    DecodedImage half = PilResize.resize(new DecodedImage(16, 16, 1, board, false), 8, 8);
    for (int i = 0; i < 64; i++) {
      int v = half.pixels()[i] & 0xff;
      assertTrue(Math.abs(v - 128) <= 8, "pixel " + i + " is " + v);
    }
  }

  static byte[] encode(BufferedImage image, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(image, format, out), "no writer for " + format);
    return out.toByteArray();
  }

  /** A PNG whose IHDR declares width×height RGB pixels, followed by an empty image data stream. */
  static byte[] pngWithHeader(int width, int height) {
    ByteBuffer ihdr =
        ByteBuffer.allocate(13)
            .putInt(width)
            .putInt(height)
            .put((byte) 8)
            .put((byte) 2)
            .put((byte) 0)
            .put((byte) 0)
            .put((byte) 0);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    byte[] typeBytes = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    out.writeBytes(typeBytes);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
