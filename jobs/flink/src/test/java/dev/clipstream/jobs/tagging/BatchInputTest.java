package dev.clipstream.jobs.tagging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import dev.clipstream.jobs.io.PreparedImage;
import dev.clipstream.model.preprocess.ImagePreprocessor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The batch tensor over the encoder's one reused direct buffer holds CLIP's normalised crops. */
class BatchInputTest {

  static PreparedImage crop(int side, long seed) {
    byte[] rgb = new byte[3 * side * side];
    new Random(seed).nextBytes(rgb);
    PreparedImage image = new PreparedImage();
    image.size = side;
    image.rgb = rgb;
    return image;
  }

  /** What the encoder was given before: the float[] path, image by image. */
  static float[] expected(List<PreparedImage> batch, int side) {
    int per = 3 * side * side;
    float[] out = new float[batch.size() * per];
    for (int i = 0; i < batch.size(); i++) {
      ImagePreprocessor.normaliseInto(batch.get(i).rgb, out, i * per);
    }
    return out;
  }

  @Test
  void theTensorEqualsTheNormalisedCropsAndTheBufferIsReused() {
    BatchInput input = new BatchInput();
    int side = 7;
    List<PreparedImage> three = List.of(crop(side, 1), crop(side, 2), crop(side, 3));
    List<PreparedImage> two = List.of(crop(side, 4), crop(side, 5));
    try (NDManager manager = NDManager.newBaseManager()) {
      try (NDManager scope = manager.newSubManager()) {
        float[] got = input.fill(three, side, scope).toFloatArray();
        assertArrayEquals(expected(three, side), got, 0f);
        assertEquals(3 * 3 * side * side, got.length);
      }
      int capacity = input.capacity();
      try (NDManager scope = manager.newSubManager()) {
        float[] got = input.fill(two, side, scope).toFloatArray();
        assertArrayEquals(expected(two, side), got, 0f, "a smaller batch over the same buffer");
      }
      assertEquals(capacity, input.capacity(), "no new buffer for a batch that fits");
    }
  }
}
