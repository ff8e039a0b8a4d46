package dev.clipstream.jobs.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.testing.PoisonInputs;
import dev.clipstream.model.preprocess.DecodeScratch;
import dev.clipstream.model.preprocess.ImagePreprocessor;
import dev.clipstream.model.preprocess.PreprocessOptions;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * A thumbnail is a JPEG of the model's centre crop at the asked size: compared with the crop
 * averaged over each thumbnail pixel's square of source pixels (an oracle computed here, not by
 * Java2D), it differs by at most a few levels on average.
 */
class ThumbnailTest {
  static final int SIZE = 224;
  static final int SIDE = 56; // 224 / 56 = 4: each thumbnail pixel averages a 4 x 4 block exactly

  /** Bound on the mean absolute difference, in 8-bit levels (JPEG at quality 0.8 and scaling). */
  static final double MEAN_LEVELS = 6;

  @Test
  void isAJpegOfTheCentreCropAtTheAskedSize() throws Exception {
    byte[] png = PoisonInputs.png(PoisonInputs.picture(320, 240));
    float[] chw =
        ((ImagePreprocessor.Pixels)
                new ImagePreprocessor(PreprocessOptions.defaults(SIZE)).preprocess(png))
            .chw();

    byte[] jpeg = Thumbnail.jpeg(chw, SIZE, SIDE);

    assertEquals((byte) 0xFF, jpeg[0]);
    assertEquals((byte) 0xD8, jpeg[1]);
    BufferedImage read = ImageIO.read(new ByteArrayInputStream(jpeg));
    assertEquals(SIDE, read.getWidth());
    assertEquals(SIDE, read.getHeight());
    byte[] rgb = ImagePreprocessor.quantise(chw);
    int n = SIZE * SIZE;
    int block = SIZE / SIDE;
    double sum = 0;
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        int p = read.getRGB(x, y);
        for (int ch = 0; ch < 3; ch++) {
          double mean = 0;
          for (int dy = 0; dy < block; dy++) {
            for (int dx = 0; dx < block; dx++) {
              mean += rgb[ch * n + (y * block + dy) * SIZE + x * block + dx] & 0xff;
            }
          }
          mean /= block * block;
          sum += Math.abs(mean - (p >> (16 - 8 * ch) & 0xff));
        }
      }
    }
    double levels = sum / (SIDE * SIDE * 3);
    System.out.printf(
        "thumbnail %d px: %d bytes, mean |difference| %.2f levels%n", SIDE, jpeg.length, levels);
    assertTrue(levels <= MEAN_LEVELS, "mean difference " + levels);
  }

  @Test
  void theDecodingsScratchMakesTheSameThumbnailsAsFreshMemory() {
    ImagePreprocessor preprocessor = new ImagePreprocessor(PreprocessOptions.defaults(SIZE));
    try (DecodeScratch scratch = new DecodeScratch()) {
      for (int[] wh : new int[][] {{640, 480}, {300, 500}, {224, 224}}) {
        byte[] png = PoisonInputs.png(PoisonInputs.picture(wh[0], wh[1]));
        ImagePreprocessor.Crop crop = (ImagePreprocessor.Crop) preprocessor.crop(png, scratch);
        for (int side : new int[] {SIDE, 64, 100}) {
          assertArrayEquals(
              Thumbnail.jpeg(crop.rgb(), SIZE, side),
              Thumbnail.jpeg(crop.rgb(), SIZE, side, scratch),
              wh[0] + "x" + wh[1] + " at " + side + " px");
        }
      }
    }
  }
}
