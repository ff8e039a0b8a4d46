package dev.clipstream.model.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.clipstream.model.weights.SafeTensorsFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The direct PNG decoder gives the JDK reader's samples (which Pillow's equal), the preprocessed
 * reference PNGs stay equal to OpenAI's tensors, and whatever it does not handle goes to ImageIO.
 */
class PlainPngTest {

  @ParameterizedTest
  @ValueSource(strings = {"astronaut.png", "coffee.png", "camera.png"})
  void preprocessesTheReferencePngsExactlyAsOpenAi(String name) throws IOException {
    byte[] png = ImagePreprocessorTest.resource(name);
    assertNotNull(PlainPng.decode(png, Long.MAX_VALUE), name + " takes the direct path");
    float[] expected =
        SafeTensorsFile.read(ImagePreprocessorTest.resource("expected.safetensors")).floats(name);

    float[] ours =
        assertInstanceOf(
                ImagePreprocessor.Pixels.class, ImagePreprocessorTest.CLIP_224.preprocess(png))
            .chw();

    assertArrayEquals(expected, ours, name);
  }

  @ParameterizedTest
  @CsvSource({
    "1, 0", "1, 1", "1, 2", "1, 3", "1, 4", "1, -1",
    "3, 0", "3, 1", "3, 2", "3, 3", "3, 4", "3, -1",
    "4, 0", "4, 1", "4, 2", "4, 3", "4, 4", "4, -1"
  })
  void decodesEachRowFilterAsTheJdkReader(int channels, int filter) throws IOException {
    Random random = new Random(channels * 10 + filter);
    int w = 37;
    int h = 23;
    byte[] samples = new byte[w * h * channels];
    for (int i = 0; i < samples.length; i++) {
      samples[i] =
          i >= channels && random.nextBoolean()
              ? (byte) (samples[i - channels] + random.nextInt(9) - 4)
              : (byte) random.nextInt(256);
    }
    byte[] png = png(w, h, channels, samples, filter, random);

    DecodedImage ours = PlainPng.decode(png, Long.MAX_VALUE);

    DecodedImage jdk = ImagePixels.of(ImageIO.read(new ByteArrayInputStream(png)), false);
    assertEquals(channels, jdk.channels());
    assertArrayEquals(samples, jdk.pixels(), "the test's PNG holds its samples");
    assertNotNull(ours);
    assertEquals(w, ours.width());
    assertEquals(h, ours.height());
    assertEquals(channels, ours.channels());
    assertArrayEquals(jdk.pixels(), ours.pixels());
  }

  @ParameterizedTest
  @ValueSource(strings = {"palette", "crc", "cut", "trns", "pixels"})
  void leavesOtherAndDamagedPngsToImageIo(String what) throws IOException {
    byte[] samples = new byte[8 * 8 * 3];
    byte[] png = png(8, 8, 3, samples, 0, new Random(1));
    byte[] odd =
        switch (what) {
          case "palette" -> ImagePreprocessorTest.resource("palette_color.png");
          case "crc" -> flipLastCrcBit(png);
          case "cut" -> java.util.Arrays.copyOf(png, png.length - 20);
          case "trns" -> withTrns(png);
          default -> png;
        };

    assertNull(PlainPng.decode(odd, what.equals("pixels") ? 63 : Long.MAX_VALUE), what);
  }

  /** A PNG with every row filtered by {@code filter} (−1: a random filter per row). */
  static byte[] png(int w, int h, int channels, byte[] samples, int filter, Random random) {
    int stride = w * channels;
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    for (int y = 0; y < h; y++) {
      int f = filter >= 0 ? filter : random.nextInt(5);
      raw.write(f);
      for (int i = 0; i < stride; i++) {
        int a = i >= channels ? samples[y * stride + i - channels] & 0xff : 0;
        int b = y > 0 ? samples[(y - 1) * stride + i] & 0xff : 0;
        int c = i >= channels && y > 0 ? samples[(y - 1) * stride + i - channels] & 0xff : 0;
        int predictor =
            switch (f) {
              case 0 -> 0;
              case 1 -> a;
              case 2 -> b;
              case 3 -> (a + b) / 2;
              default -> paeth(a, b, c);
            };
        raw.write((samples[y * stride + i] - predictor) & 0xff);
      }
    }
    Deflater deflater = new Deflater();
    deflater.setInput(raw.toByteArray());
    deflater.finish();
    byte[] buffer = new byte[raw.size() * 2 + 64];
    int n = deflater.deflate(buffer);
    deflater.end();
    int colour = channels == 1 ? 0 : channels == 3 ? 2 : 6;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    chunk(
        out,
        "IHDR",
        ByteBuffer.allocate(13)
            .putInt(w)
            .putInt(h)
            .put((byte) 8)
            .put((byte) colour)
            .put(new byte[3])
            .array());
    chunk(out, "IDAT", java.util.Arrays.copyOf(buffer, n));
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  /** PNG's Paeth predictor, written from the specification's definition. */
  static int paeth(int a, int b, int c) {
    int p = a + b - c;
    int pa = Math.abs(p - a);
    int pb = Math.abs(p - b);
    int pc = Math.abs(p - c);
    if (pa <= pb && pa <= pc) {
      return a;
    }
    return pb <= pc ? b : c;
  }

  static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(t);
    out.writeBytes(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  static byte[] flipLastCrcBit(byte[] png) {
    byte[] out = png.clone();
    out[out.length - 1] ^= 1;
    return out;
  }

  /** The PNG with a tRNS chunk after IHDR (8 + 25 bytes in). */
  static byte[] withTrns(byte[] png) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(png, 0, 33);
    chunk(out, "tRNS", new byte[6]);
    out.write(png, 33, png.length - 33);
    return out.toByteArray();
  }
}
