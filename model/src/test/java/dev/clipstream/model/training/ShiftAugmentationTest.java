package dev.clipstream.model.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.model.data.DatasetLocator;
import dev.clipstream.model.data.FashionMnist;
import dev.clipstream.model.data.LabelledImages;
import dev.clipstream.model.preprocess.ImagePreprocessor;
import dev.clipstream.model.tokenizer.ClipTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shift augmentation of real training batches: fixed by the seed, and as varied as named. */
class ShiftAugmentationTest {

  @TempDir static Path cache;
  static LabelledImages images;

  @BeforeAll
  static void loadImages() throws Exception {
    images =
        FashionMnist.load(FashionMnist.Split.TEST, new DatasetLocator(Optional.empty(), cache))
            .head(256);
  }

  static CaptionedImageSampler sampler(Augmentation augmentation, long seed) {
    return sampler(augmentation, ShiftMix.DEFAULT, seed);
  }

  static CaptionedImageSampler sampler(Augmentation augmentation, ShiftMix mix, long seed) {
    return new CaptionedImageSampler(
        images,
        List.of("a photo of a {}.", "a {}, product photo."),
        ClipTokenizer.load(),
        28,
        16,
        Set.of(),
        augmentation,
        mix,
        seed);
  }

  @Test
  void theSameSeedGivesTheSameBatchesAndAnotherSeedOthers() {
    CaptionedBatch a = sampler(Augmentation.SHIFTS, 3).next(64);
    CaptionedBatch b = sampler(Augmentation.SHIFTS, 3).next(64);
    CaptionedBatch c = sampler(Augmentation.SHIFTS, 4).next(64);
    assertArrayEquals(a.pixels(), b.pixels());
    assertArrayEquals(a.captionOf(), b.captionOf());
    assertFalse(java.util.Arrays.equals(a.pixels(), c.pixels()));
  }

  @Test
  void aBatchHoldsColouredInvertedAndCleanPictures() {
    CaptionedBatch batch = sampler(Augmentation.SHIFTS, 5).next(256);
    int n = 28 * 28;
    int coloured = 0;
    int lightBackground = 0;
    int grey = 0;
    for (int i = 0; i < batch.size(); i++) {
      byte[] rgb = ImagePreprocessor.quantise(slice(batch.pixels(), i, 3 * n));
      boolean colour = false;
      for (int p = 0; p < n && !colour; p++) {
        colour = Math.abs((rgb[p] & 0xff) - (rgb[2 * n + p] & 0xff)) > 12;
      }
      coloured += colour ? 1 : 0;
      grey += colour ? 0 : 1;
      lightBackground += lightCorner(rgb) ? 1 : 0;
    }
    // tint in 30 % of the 70 % shifted (about 54 of 256), colour noise in 20 % (about 36)
    assertTrue(coloured > 25 && coloured < 130, coloured + " coloured");
    assertTrue(lightBackground > 20, lightBackground + " light backgrounds");
    assertTrue(grey > 120, grey + " grey");
    assertEquals(256, coloured + grey);
  }

  @Test
  void aCleanShareOfOneGivesTheMildCropsAlone() {
    CaptionedImageSampler allClean = sampler(Augmentation.SHIFTS, ShiftMix.withClean(1.0), 5);
    assertGrey(allClean.next(64));
  }

  @Test
  void theInvertShareDecidesHowManyPicturesAreInverted() {
    ShiftMix alwaysInverted = new ShiftMix(0, 0.55, 1);
    ShiftMix neverInverted = new ShiftMix(0, 0.55, 0);
    int inverted = lightCorners(sampler(Augmentation.SHIFTS, alwaysInverted, 5).next(256));
    int plain = lightCorners(sampler(Augmentation.SHIFTS, neverInverted, 5).next(256));
    // only a strong tint (a colour without green) darkens an inverted corner again; only a
    // brightening of more than 100 levels lightens a plain one
    assertTrue(inverted > 150, inverted + " of 256 inverted");
    assertTrue(plain < 60, plain + " of 256 light without inversion");
  }

  @Test
  void theCanvasShareDecidesHowManyItemsAreShownSmallOnALargerCanvas() {
    ShiftMix alwaysOnCanvas = new ShiftMix(0, 1, 0);
    ShiftMix neverOnCanvas = new ShiftMix(0, 0, 0);
    double onCanvas = backgroundShare(sampler(Augmentation.SHIFTS, alwaysOnCanvas, 5).next(256));
    double zoomed = backgroundShare(sampler(Augmentation.SHIFTS, neverOnCanvas, 5).next(256));
    // an item at 35-100 % of a canvas 1-2.2 times the picture leaves more background than a
    // crop of 40-100 % of the picture enlarged to fill it
    assertTrue(
        onCanvas > zoomed + 0.15, "background " + onCanvas + " on canvas, " + zoomed + " zoomed");
  }

  /** Mean share of each picture's green values within 16 levels of its top-left corner's. */
  private static double backgroundShare(CaptionedBatch batch) {
    int n = 28 * 28;
    double sum = 0;
    for (int i = 0; i < batch.size(); i++) {
      byte[] rgb = ImagePreprocessor.quantise(slice(batch.pixels(), i, 3 * n));
      int corner = rgb[n] & 0xff;
      int near = 0;
      for (int p = 0; p < n; p++) {
        near += Math.abs((rgb[n + p] & 0xff) - corner) <= 16 ? 1 : 0;
      }
      sum += near / (double) n;
    }
    return sum / batch.size();
  }

  @Test
  void aShareOutsideZeroToOneIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new ShiftMix(0.3, 1.2, 0.2));
    assertThrows(IllegalArgumentException.class, () -> new ShiftMix(0.3, 0.55, -0.1));
    assertThrows(IllegalArgumentException.class, () -> ShiftMix.withClean(Double.NaN));
  }

  /** Pictures of the batch whose top-left corner is light in the green channel. */
  private static int lightCorners(CaptionedBatch batch) {
    int n = 28 * 28;
    int light = 0;
    for (int i = 0; i < batch.size(); i++) {
      light += lightCorner(ImagePreprocessor.quantise(slice(batch.pixels(), i, 3 * n))) ? 1 : 0;
    }
    return light;
  }

  /** The corner: black for Fashion-MNIST, light once inverted or brightened. */
  private static boolean lightCorner(byte[] rgb) {
    return (rgb[28 * 28] & 0xff) > 100;
  }

  @Test
  void cropsAloneStayGrey() {
    CaptionedBatch batch = sampler(Augmentation.CROPS, 5).next(64);
    assertGrey(batch);
  }

  @Test
  void aShiftsSamplerAskedForCropsStaysGrey() {
    CaptionedBatch batch = sampler(Augmentation.SHIFTS, 5).next(64, Augmentation.CROPS);
    assertGrey(batch);
  }

  /**
   * Every picture of the batch has equal red and blue (grey), after undoing CLIP's normalisation.
   */
  private static void assertGrey(CaptionedBatch batch) {
    int n = 28 * 28;
    for (int i = 0; i < batch.size(); i++) {
      float[] chw = slice(batch.pixels(), i, 3 * n);
      for (int p = 0; p < n; p++) {
        float r = chw[p] * ImagePreprocessor.CLIP_STD[0] + ImagePreprocessor.CLIP_MEAN[0];
        float b = chw[2 * n + p] * ImagePreprocessor.CLIP_STD[2] + ImagePreprocessor.CLIP_MEAN[2];
        assertEquals(r, b, 1e-4, "image " + i + " pixel " + p);
      }
    }
  }

  private static float[] slice(float[] all, int i, int size) {
    float[] out = new float[size];
    System.arraycopy(all, i * size, out, 0, size);
    return out;
  }
}
