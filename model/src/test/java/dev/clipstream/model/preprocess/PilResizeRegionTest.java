package dev.clipstream.model.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Computing only the crop gives the same bytes as resizing everything and cropping (the plain
 * implementation in {@link ReferenceResize}), for every channel layout, shrinking and enlarging,
 * one axis unchanged, and any crop.
 */
class PilResizeRegionTest {

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
  void aResizedRegionEqualsTheCropOfTheWholeResize(int seed) {
    Random random = new Random(seed);
    for (int round = 0; round < 40; round++) {
      DecodedImage in = randomImage(random, 1 + random.nextInt(160), 1 + random.nextInt(160));
      int width = random.nextInt(4) == 0 ? in.width() : 1 + random.nextInt(200);
      int height = random.nextInt(4) == 0 ? in.height() : 1 + random.nextInt(200);
      int cropW = 1 + random.nextInt(width);
      int cropH = 1 + random.nextInt(height);
      int left = random.nextInt(width - cropW + 1);
      int top = random.nextInt(height - cropH + 1);

      DecodedImage ours = PilResize.resizeRegion(in, width, height, left, top, cropW, cropH);

      DecodedImage whole = ReferenceResize.resize(in, width, height);
      String what =
          in.width()
              + "x"
              + in.height()
              + "x"
              + in.channels()
              + (in.cmyk() ? " CMYK" : "")
              + (in.indexed() ? " indexed" : "")
              + " to "
              + width
              + "x"
              + height
              + ", crop "
              + cropW
              + "x"
              + cropH
              + " at "
              + left
              + ","
              + top;
      assertEquals(cropW, ours.width(), what);
      assertEquals(cropH, ours.height(), what);
      assertEquals(in.indexed(), ours.indexed(), what);
      assertEquals(in.cmyk(), ours.cmyk(), what);
      assertArrayEquals(crop(whole, left, top, cropW, cropH), ours.pixels(), what);
    }
  }

  /**
   * One scratch kept across images — large then small, one channel then four — gives the same bytes
   * as the reference for each: what a stream operator does with the buffers its last image grew.
   */
  @Test
  void aScratchReusedAcrossImagesOfEverySizeAndLayoutChangesNoByte() {
    Random random = new Random(21);
    try (DecodeScratch scratch = new DecodeScratch()) {
      for (int round = 0; round < 120; round++) {
        DecodedImage in = randomImage(random, 1 + random.nextInt(300), 1 + random.nextInt(300));
        int width = 1 + random.nextInt(240);
        int height = 1 + random.nextInt(240);
        int cropW = 1 + random.nextInt(width);
        int cropH = 1 + random.nextInt(height);
        int left = random.nextInt(width - cropW + 1);
        int top = random.nextInt(height - cropH + 1);

        DecodedImage ours =
            PilResize.resizeRegion(in, width, height, left, top, cropW, cropH, scratch);

        DecodedImage whole = ReferenceResize.resize(in, width, height);
        assertArrayEquals(
            crop(whole, left, top, cropW, cropH),
            ours.pixels(),
            "round " + round + ": " + in.width() + "x" + in.height() + "x" + in.channels());
      }
    }
  }

  @Test
  void thePreprocessorsSquareEqualsTheCentreOfTheWholeResize() {
    Random random = new Random(11);
    int[][] sizes = {{512, 512}, {1024, 1024}, {600, 400}, {400, 600}, {225, 1000}, {223, 223}};
    for (int[] size : sizes) {
      DecodedImage in = randomImage(random, size[0], size[1]);
      int w = in.width();
      int h = in.height();
      int rw = w <= h ? 224 : (int) ((long) 224 * w / h);
      int rh = w <= h ? (int) ((long) 224 * h / w) : 224;
      DecodedImage whole = ReferenceResize.resize(in, rw, rh);
      int top = (int) Math.rint((rh - 224) / 2.0);
      int left = (int) Math.rint((rw - 224) / 2.0);

      DecodedImage ours = ImagePreprocessor.resizeAndCrop(in, 224);

      assertArrayEquals(crop(whole, left, top, 224, 224), ours.pixels(), w + "x" + h);
    }
  }

  /**
   * The horizontal pass works on bands of rows turned into columns; an image taller than several
   * bands, in every channel layout, still gives the reference's bytes, rows at band edges included.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 3, 4})
  void anImageOfManyBandsOfRowsResizesAsTheReference(int channels) {
    Random random = new Random(channels);
    byte[] pixels = new byte[700 * 450 * channels];
    random.nextBytes(pixels);
    DecodedImage in = new DecodedImage(700, 450, channels, pixels, false, false);

    DecodedImage ours = PilResize.resizeRegion(in, 301, 190, 37, 5, 250, 180);

    DecodedImage whole = ReferenceResize.resize(in, 301, 190);
    assertArrayEquals(crop(whole, 37, 5, 250, 180), ours.pixels(), channels + " channels");
  }

  /**
   * Between the two passes a thread holds only the rows the next output rows still read — the
   * widest vertical window (19 rows for 1024 → 224) plus one band of 64 — not every input row, and
   * the photo still comes out as the reference's.
   */
  @Test
  void aPhotoShrunkTo224HoldsAFewDozenRowsBetweenThePassesNotAllOfThem() {
    Random random = new Random(3);
    byte[] pixels = new byte[1024 * 1024 * 3];
    random.nextBytes(pixels);
    DecodedImage in = new DecodedImage(1024, 1024, 3, pixels, false, false);
    try (DecodeScratch scratch = new DecodeScratch()) {
      DecodedImage ours = PilResize.resizeRegion(in, 224, 224, 0, 0, 224, 224, scratch);

      assertArrayEquals(ReferenceResize.resize(in, 224, 224).pixels(), ours.pixels());
      int held = scratch.rows(0, 0).length;
      assertTrue(held <= 19 + 64, held + " rows of 1024 held between the passes");
    }
  }

  /** A channel-major crop resized for a thumbnail is the reference's resize of the same pixels. */
  @Test
  void aResizedCropIsTheReferenceResizeOfItsPixels() {
    Random random = new Random(5);
    byte[] planar = new byte[3 * 224 * 224];
    random.nextBytes(planar);
    byte[] interleaved = new byte[planar.length];
    int n = 224 * 224;
    for (int i = 0; i < n; i++) {
      for (int ch = 0; ch < 3; ch++) {
        interleaved[3 * i + ch] = planar[ch * n + i];
      }
    }

    byte[] small = ImagePreprocessor.resizedCrop(planar, 224, 64);

    DecodedImage expected =
        ReferenceResize.resize(new DecodedImage(224, 224, 3, interleaved, false), 64, 64);
    assertArrayEquals(expected.pixels(), small);
  }

  /** Random pixels with runs of equal ones, so both smooth areas and edges occur. */
  static DecodedImage randomImage(Random random, int w, int h) {
    int kind = random.nextInt(5);
    int channels = kind == 0 ? 1 : kind == 1 ? 3 : 4;
    boolean cmyk = kind == 3;
    boolean indexed = kind == 4;
    if (indexed) {
      channels = 3;
    }
    byte[] pixels = new byte[w * h * channels];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] =
          i > channels && random.nextInt(3) == 0
              ? pixels[i - channels]
              : (byte) random.nextInt(256);
    }
    return new DecodedImage(w, h, channels, pixels, indexed, cmyk);
  }

  static byte[] crop(DecodedImage image, int left, int top, int w, int h) {
    int c = image.channels();
    byte[] out = new byte[w * h * c];
    for (int y = 0; y < h; y++) {
      System.arraycopy(
          image.pixels(), ((top + y) * image.width() + left) * c, out, y * w * c, w * c);
    }
    return out;
  }
}
