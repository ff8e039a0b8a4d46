package dev.clipstream.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
}
