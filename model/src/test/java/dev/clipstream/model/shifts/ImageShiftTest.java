package dev.clipstream.model.shifts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.model.data.DatasetLocator;
import dev.clipstream.model.data.FashionMnist;
import dev.clipstream.model.data.LabelledImages;
import dev.clipstream.model.preprocess.DecodedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each shift on real Fashion-MNIST test images: fixed by its seed, and doing what it is named. */
class ImageShiftTest {

  @TempDir static Path cache;
  static LabelledImages images;

  /** A flat mid-grey picture with a gentle ramp: nothing clamps, so means and spreads are exact. */
  static final DecodedImage GREY = ramp(28, 28);

  @BeforeAll
  static void loadImages() throws Exception {
    images =
        FashionMnist.load(FashionMnist.Split.TEST, new DatasetLocator(Optional.empty(), cache))
            .head(20);
  }

  @Test
  void everyShiftIsTheSameForTheSameSeedAndChangesTheImage() {
    for (ImageShift kind : ImageShift.values()) {
      for (int i = 0; i < images.count(); i++) {
        DecodedImage in = images.pixels(i);
        DecodedImage a = kind.apply(in, 1234L + i);
        DecodedImage b = kind.apply(in, 1234L + i);
        assertEquals(a.width(), b.width(), kind.id());
        assertArrayEquals(a.pixels(), b.pixels(), kind + " is not fixed by its seed");
        assertFalse(
            Arrays.equals(a.pixels(), in.toRgb().pixels()),
            kind + " left image " + i + " as it was");
      }
    }
  }

  @Test
  void randomShiftsDifferBetweenSeeds() {
    DecodedImage in = images.pixels(0);
    for (ImageShift kind :
        List.of(ImageShift.OFFCENTRE, ImageShift.TINT, ImageShift.NOISE, ImageShift.LARGE)) {
      long differing =
          java.util.stream.LongStream.range(0, 8)
              .mapToObj(seed -> kind.apply(in, seed))
              .map(d -> Arrays.hashCode(d.pixels()) * 31 + d.width())
              .distinct()
              .count();
      assertTrue(differing >= 4, kind + " gave only " + differing + " distinct copies of 8");
    }
  }

  @Test
  void invertGivesTwoHundredFiftyFiveMinusEachValue() {
    DecodedImage in = images.pixels(3);
    DecodedImage out = ImageShift.INVERT.apply(in, 0L);
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        for (int c = 0; c < 3; c++) {
          assertEquals(255 - in.at(x, y, 0), out.at(x, y, c));
        }
      }
    }
  }

  @Test
  void noiseKeepsTheMeanAndAddsTheNamedSpread() {
    DecodedImage out = ImageShift.NOISE.apply(GREY, 5L);
    double[] d = differences(GREY, out);
    // 2,352 values of sigma 25: the mean of the noise is within 4 standard errors (about 2.1).
    assertEquals(0, mean(d), 2.1, "mean moved");
    assertEquals(25, std(d), 2.0, "noise spread");
  }

  @Test
  void blurKeepsAFlatImageAndSmoothsEdges() {
    DecodedImage flat = new DecodedImage(28, 28, 1, filled(28 * 28, 140), false);
    assertArrayEquals(
        flat.toRgb().pixels(), ImageShift.BLUR.apply(flat, 0L).pixels(), "a flat image changed");
    DecodedImage in = images.pixels(1);
    DecodedImage out = ImageShift.BLUR.apply(in, 0L);
    assertTrue(
        edgeEnergy(out) < 0.5 * edgeEnergy(in),
        "neighbour differences " + edgeEnergy(out) + " vs " + edgeEnergy(in));
    assertEquals(mean(values(in.toRgb())), mean(values(out)), 1.5, "blur moved the mean");
  }

  @Test
  void contrastShrinksTheSpreadToAThirdAroundTheMean() {
    DecodedImage out = ImageShift.CONTRAST.apply(GREY, 9L);
    double ratio = std(values(out)) / std(values(GREY.toRgb()));
    assertTrue(ratio > 0.28 && ratio < 0.42, "spread ratio " + ratio);
    assertEquals(mean(values(GREY.toRgb())), mean(values(out)), 0.6);
  }

  @Test
  void brightnessMovesEveryValueBySeventyToOneHundredLevels() {
    DecodedImage out = ImageShift.BRIGHTNESS.apply(GREY, 2L);
    double shift = mean(differences(GREY, out));
    assertTrue(Math.abs(shift) >= 69.5 && Math.abs(shift) <= 100.5, "moved by " + shift);
    double[] d = differences(GREY, out);
    assertEquals(0, std(d), 0.6, "every value moves alike");
  }

  @Test
  void tintKeepsTheShapeInShadesOfOneColour() {
    DecodedImage in = images.pixels(2);
    DecodedImage out = ImageShift.TINT.apply(in, 4L);
    double[] gain = new double[3];
    double grey = 0;
    for (int i = 0; i < 28 * 28; i++) {
      grey += in.pixels()[i] & 0xff;
      for (int c = 0; c < 3; c++) {
        gain[c] += out.pixels()[i * 3 + c] & 0xff;
      }
    }
    double max = Arrays.stream(gain).max().orElseThrow() / grey;
    double min = Arrays.stream(gain).min().orElseThrow() / grey;
    assertEquals(1.0, max, 0.01, "the strongest channel keeps the grey");
    assertTrue(min < 0.45, "a saturated colour, weakest channel gain " + min);
  }

  @Test
  void offcentrePutsTheItemNearACornerOfATwiceLargerCanvas() {
    for (int i = 0; i < images.count(); i++) {
      DecodedImage out = ImageShift.OFFCENTRE.apply(images.pixels(i), 100L + i);
      assertEquals(56, out.width());
      assertEquals(56, out.height());
      double[] centre = centroid(out);
      double[] original = centroid(images.pixels(i).toRgb());
      // the item moved by at least 7 px (a quarter of its side) from the canvas centre on each axis
      assertTrue(
          Math.abs(centre[0] - (original[0] + 14)) >= 6.5
              && Math.abs(centre[1] - (original[1] + 14)) >= 6.5,
          "image " + i + " centroid " + Arrays.toString(centre));
    }
  }

  @Test
  void scaleMakesTheItemSmallerOrLargerOnTheSameCanvas() {
    int smaller = 0;
    int larger = 0;
    for (int i = 0; i < images.count(); i++) {
      DecodedImage in = images.pixels(i).toRgb();
      DecodedImage out = ImageShift.SCALE.apply(in, 7L + i);
      assertEquals(28, out.width());
      int[] before = extent(in);
      int[] after = extent(out);
      if (after[0] <= 0.75 * before[0] && after[1] <= 0.75 * before[1]) {
        smaller++;
      } else if (after[0] >= Math.min(28, 1.25 * before[0]) - 1
          && after[1] >= Math.min(28, 1.25 * before[1]) - 1) {
        larger++;
      } else {
        throw new AssertionError(
            "image " + i + " extent " + Arrays.toString(before) + " -> " + Arrays.toString(after));
      }
    }
    assertTrue(smaller > 0 && larger > 0, smaller + " smaller, " + larger + " larger");
  }

  @Test
  void jpegKeepsTheSizeAndLosesDetailWithinABound() {
    DecodedImage in = images.pixels(5).toRgb();
    DecodedImage out = ImageShift.JPEG.apply(in, 3L);
    assertEquals(28, out.width());
    double error = Arrays.stream(differences(in, out)).map(Math::abs).average().orElseThrow();
    assertTrue(error > 1 && error < 40, "mean absolute error " + error);
  }

  @Test
  void largeUpscalesTheShorterSideTo112To224Pixels() {
    for (long seed = 0; seed < 10; seed++) {
      DecodedImage out = ImageShift.LARGE.apply(images.pixels(0), seed);
      assertTrue(out.width() >= 112 && out.width() <= 224, "side " + out.width());
      assertEquals(out.width(), out.height());
    }
  }

  @Test
  void anUnknownKindIsRefusedWithTheListOfKinds() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ImageShift.parse(List.of("blurr")));
    assertEquals(
        "unknown shift 'blurr'; the kinds are"
            + " offcentre,scale,tint,invert,noise,blur,contrast,brightness,jpeg,large",
        e.getMessage());
    assertEquals(
        List.of(ImageShift.NOISE, ImageShift.BLUR), ImageShift.parse(List.of(" Noise", "blur")));
  }

  @Test
  void shiftedImagesFixEachCopyByImageWhateverTheOrder() {
    ShiftedImages shifted = new ShiftedImages(images, ImageShift.NOISE, 19);
    byte[] fifth = shifted.pixels(5).pixels();
    shifted.pixels(7);
    assertArrayEquals(fifth, shifted.pixels(5).pixels());
    assertArrayEquals(
        fifth, new ShiftedImages(images.head(6), ImageShift.NOISE, 19).pixels(5).pixels());
    assertFalse(
        Arrays.equals(fifth, new ShiftedImages(images, ImageShift.NOISE, 20).pixels(5).pixels()));
    assertEquals(images.label(5), shifted.label(5));
  }

  private static DecodedImage ramp(int w, int h) {
    byte[] px = new byte[w * h];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) (100 + 2 * (i % w));
    }
    return new DecodedImage(w, h, 1, px, false);
  }

  private static byte[] filled(int n, int v) {
    byte[] px = new byte[n];
    Arrays.fill(px, (byte) v);
    return px;
  }

  private static double[] values(DecodedImage rgb) {
    double[] out = new double[rgb.pixels().length];
    for (int i = 0; i < out.length; i++) {
      out[i] = rgb.pixels()[i] & 0xff;
    }
    return out;
  }

  private static double[] differences(DecodedImage in, DecodedImage out) {
    double[] a = values(in.toRgb());
    double[] b = values(out);
    double[] d = new double[a.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = b[i] - a[i];
    }
    return d;
  }

  private static double mean(double[] v) {
    return Arrays.stream(v).average().orElseThrow();
  }

  private static double std(double[] v) {
    double m = mean(v);
    return Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).average().orElseThrow());
  }

  private static double edgeEnergy(DecodedImage image) {
    double sum = 0;
    for (int y = 0; y < image.height(); y++) {
      for (int x = 1; x < image.width(); x++) {
        double d = image.at(x, y, 0) - image.at(x - 1, y, 0);
        sum += d * d;
      }
    }
    return sum;
  }

  private static double[] centroid(DecodedImage rgb) {
    double sx = 0;
    double sy = 0;
    double total = 0;
    for (int y = 0; y < rgb.height(); y++) {
      for (int x = 0; x < rgb.width(); x++) {
        double v = rgb.at(x, y, 0);
        sx += v * x;
        sy += v * y;
        total += v;
      }
    }
    return new double[] {sx / total, sy / total};
  }

  /** Width and height of the box around pixels brighter than a quarter of full scale. */
  private static int[] extent(DecodedImage rgb) {
    int x0 = rgb.width();
    int x1 = -1;
    int y0 = rgb.height();
    int y1 = -1;
    for (int y = 0; y < rgb.height(); y++) {
      for (int x = 0; x < rgb.width(); x++) {
        if (rgb.at(x, y, 0) > 64) {
          x0 = Math.min(x0, x);
          x1 = Math.max(x1, x);
          y0 = Math.min(y0, y);
          y1 = Math.max(y1, y);
        }
      }
    }
    return new int[] {x1 - x0 + 1, y1 - y0 + 1};
  }
}
