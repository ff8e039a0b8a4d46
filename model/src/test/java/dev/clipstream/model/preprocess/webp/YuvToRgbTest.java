package dev.clipstream.model.preprocess.webp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The conversion is BT.601 limited range: black at Y 16, white at Y 235, in its fixed point. */
class YuvToRgbTest {

  @Test
  void limitedRangeBlackAndWhiteAreFullRangeBlackAndWhite() {
    assertEquals(0, YuvToRgb.red(16, 128));
    assertEquals(0, YuvToRgb.green(16, 128, 128));
    assertEquals(0, YuvToRgb.blue(16, 128));
    assertEquals(255, YuvToRgb.red(235, 128));
    assertEquals(255, YuvToRgb.green(235, 128, 128));
    assertEquals(255, YuvToRgb.blue(235, 128));
  }

  @Test
  void everyColourIsWithinOneLevelOfTheBt601Formula() {
    for (int y = 0; y < 256; y += 3) {
      for (int u = 0; u < 256; u += 5) {
        for (int v = 0; v < 256; v += 5) {
          double luma = 1.164 * (y - 16);
          assertEquals(clip(luma + 1.596 * (v - 128)), YuvToRgb.red(y, v), 1.0);
          assertEquals(
              clip(luma - 0.391 * (u - 128) - 0.813 * (v - 128)), YuvToRgb.green(y, u, v), 1.0);
          assertEquals(clip(luma + 2.018 * (u - 128)), YuvToRgb.blue(y, u), 1.0);
        }
      }
    }
  }

  private static double clip(double v) {
    return Math.max(0, Math.min(255, v));
  }
}
