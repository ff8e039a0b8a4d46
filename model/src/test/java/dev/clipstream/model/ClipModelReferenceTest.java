package dev.clipstream.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.clipstream.model.weights.SafeTensorsFile;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Java CLIP reproduces OpenAI's outputs from OpenAI's F16 safetensors weights. */
class ClipModelReferenceTest {

  private static ClipModel model;

  @BeforeAll
  static void load() throws IOException {
    model = ClipModel.load(ReferenceFixtures.weights(), LoadOptions.defaults());
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 6})
  void reproducesOpenAiEmbeddingsAndLogitsToFloat32Precision(int batchSize) throws IOException {
    ReferenceCheck.Result result = ReferenceCheck.run(model, ReferenceFixtures.io(), batchSize);

    System.out.println("safetensors " + result);
    assertTrue(result.passed(ReferenceCheck.DEFAULT_THRESHOLD), result.toString());
  }

  @Test
  void encodesRowsCutShortOfTheContextAsOpenAiEncodesPaddedOnes() throws IOException {
    SafeTensorsFile io = SafeTensorsFile.read(ReferenceFixtures.io());
    long[] padded = io.longs("input_ids");
    int rows = 24;
    int context = model.config().contextLength();
    int used = 0;
    for (int row = 0; row < rows; row++) {
      used = Math.max(used, 1 + argMax(padded, row * context, context));
    }
    long[] cut = new long[rows * used];
    for (int row = 0; row < rows; row++) {
      System.arraycopy(padded, row * context, cut, row * used, used);
    }

    float[] features;
    try (NDManager batch = model.newBatchManager()) {
      features = model.encodeText(batch.create(cut, new Shape(rows, used))).toFloatArray();
    }

    assertTrue(used < context, "the reference texts are padded");
    double error = ReferenceCheck.relativeError(features, io.floats("text_embeds"));
    assertTrue(error < ReferenceCheck.DEFAULT_THRESHOLD, "relative error " + error);
  }

  private static int argMax(long[] values, int from, int length) {
    int best = 0;
    for (int i = 1; i < length; i++) {
      if (values[from + i] > values[from + best]) {
        best = i;
      }
    }
    return best;
  }
}
