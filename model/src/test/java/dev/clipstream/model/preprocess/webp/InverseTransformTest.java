package dev.clipstream.model.preprocess.webp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The inverse transforms agree with the closed forms RFC 6386 section 14 gives for them. */
class InverseTransformTest {

  @Test
  void aDcOnlyBlockAddsItsRoundedEighthToEveryPixel() {
    for (int dc : new int[] {-2048, -100, -5, -4, -3, 0, 3, 4, 5, 12, 100, 2047}) {
      short[] in = new short[16];
      in[0] = (short) dc;
      int[] pixels = new int[16];
      Arrays.fill(pixels, 128);

      InverseTransform.addIdct(in, 0, pixels, 0, 4);

      int expected = Math.max(0, Math.min(255, 128 + ((dc + 4) >> 3)));
      for (int p : pixels) {
        assertEquals(expected, p, "DC " + dc);
      }
    }
  }

  @Test
  void theDctMatchesTheFloatingPointInverseToWithinRounding() {
    // The RFC's integer approximation of the 4x4 inverse DCT, against the exact transform.
    java.util.Random random = new java.util.Random(14);
    for (int trial = 0; trial < 200; trial++) {
      short[] in = new short[16];
      for (int i = 0; i < 16; i++) {
        in[i] = (short) (random.nextInt(201) - 100);
      }
      int[] pixels = new int[16];
      Arrays.fill(pixels, 128);
      InverseTransform.addIdct(in, 0, pixels, 0, 4);
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 4; x++) {
          double sum = 0;
          for (int v = 0; v < 4; v++) {
            for (int u = 0; u < 4; u++) {
              sum += basis(u, x) * basis(v, y) * in[v * 4 + u];
            }
          }
          double exact = 128 + sum / 8;
          assertEquals(exact, pixels[y * 4 + x], 1.5, "trial " + trial);
        }
      }
    }
  }

  /** The DCT-II basis scaled as VP8's: 1 for the DC, sqrt(2) cos(...) for the others. */
  private static double basis(int k, int n) {
    return k == 0 ? 1 : Math.sqrt(2) * Math.cos((2 * n + 1) * k * Math.PI / 8);
  }

  @Test
  void aDcOnlyWalshBlockGivesEveryLumaBlockTheSameDc() {
    short[] y2 = new short[16];
    y2[0] = 1000;
    short[] blocks = new short[16 * 16];

    InverseTransform.walsh(y2, blocks);

    for (int i = 0; i < 16; i++) {
      assertEquals((1000 + 3) >> 3, blocks[i * 16], "block " + i);
    }
  }

  @Test
  void theWalshTransformInvertsTheForwardHadamardOfAnyBlock() {
    short[] dcs = new short[16];
    for (int i = 0; i < 16; i++) {
      dcs[i] = (short) (i * 37 - 300);
    }
    // The forward WHT scaled by 8, which is what the encoder quantises: its inverse is exact.
    int[][] h = {{1, 1, 1, 1}, {1, 1, -1, -1}, {1, -1, -1, 1}, {1, -1, 1, -1}};
    short[] y2 = new short[16];
    for (int v = 0; v < 4; v++) {
      for (int u = 0; u < 4; u++) {
        int sum = 0;
        for (int y = 0; y < 4; y++) {
          for (int x = 0; x < 4; x++) {
            sum += h[v][y] * h[u][x] * dcs[y * 4 + x];
          }
        }
        y2[v * 4 + u] = (short) (sum / 2);
      }
    }
    short[] blocks = new short[16 * 16];

    InverseTransform.walsh(y2, blocks);

    for (int i = 0; i < 16; i++) {
      assertEquals(dcs[i], blocks[i * 16], "block " + i);
    }
  }
}
