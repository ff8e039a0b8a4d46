package dev.clipstream.jobs.tagging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import dev.clipstream.jobs.io.PreparedImage;
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

  /**
   * OpenAI's transform of the crops, written here: ToTensor, then Normalize with CLIP's constants.
   */
  static float[] expected(List<PreparedImage> batch, int side) {
    float[] mean = {0.48145466f, 0.4578275f, 0.40821073f};
    float[] std = {0.26862954f, 0.26130258f, 0.27577711f};
    int plane = side * side;
    float[] out = new float[batch.size() * 3 * plane];
    for (int i = 0; i < batch.size(); i++) {
      byte[] rgb = batch.get(i).rgb;
      for (int j = 0; j < rgb.length; j++) {
        int ch = j / plane;
        out[i * 3 * plane + j] = ((rgb[j] & 0xff) / 255f - mean[ch]) / std[ch];
      }
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
