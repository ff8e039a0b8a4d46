package dev.clipstream.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clipstream.model.nn.Activation;
import dev.clipstream.model.weights.SafeTensorsFile;
import dev.clipstream.model.weights.SafeTensorsSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration is read off the weights as OpenAI's build_model reads it. */
class ClipConfigTest {

  static Map<String, long[]> referenceShapes() throws IOException {
    return new SafeTensorsSource(SafeTensorsFile.read(ReferenceFixtures.weights()), "ref").shapes();
  }

  @Test
  void infersTheReferenceConfigFromItsWeights() throws IOException {
    ObjectNode arguments =
        (ObjectNode) new ObjectMapper().readTree(ReferenceFixtures.config().toFile());
    arguments.put("activation", "quick_gelu"); // OpenAI's CLIP(...) has QuickGELU built in
    ClipConfig expected = new ObjectMapper().treeToValue(arguments, ClipConfig.class);

    ClipConfig inferred = ClipConfig.inferFrom(referenceShapes());

    assertEquals(expected, inferred);
    assertEquals(2, inferred.visionHeads(), "OpenAI: one head per 64 channels of the image tower");
  }

  @Test
  void expectsExactlyTheTensorsOfTheReferenceFile() throws IOException {
    Map<String, long[]> file = referenceShapes();
    Map<String, long[]> expected = ClipConfig.inferFrom(file).expectedShapes();

    assertEquals(file.keySet(), expected.keySet());
    expected.forEach((name, shape) -> assertArrayEquals(file.get(name), shape, name));
  }

  @Test
  void infersViTB32FromItsShapesAlone() {
    ClipConfig vitB32 = new ClipConfig(512, 224, 12, 768, 32, 77, 49408, 512, 8, 12);

    ClipConfig inferred = ClipConfig.inferFrom(vitB32.expectedShapes());

    assertEquals(vitB32, inferred);
    assertEquals(12, inferred.visionHeads());
    assertEquals(7, inferred.gridSize());
  }

  @Test
  void infersRn50FromItsShapesAsBuildModelDoes() {
    ClipConfig rn50 =
        new ClipConfig(
            1024,
            224,
            16,
            64,
            0,
            77,
            49408,
            512,
            8,
            12,
            List.of(3, 4, 6, 3),
            0,
            Activation.QUICK_GELU,
            0);

    ClipConfig inferred = ClipConfig.inferFrom(rn50.expectedShapes());

    assertEquals(rn50, inferred);
    assertEquals(32, inferred.visionHeads(), "OpenAI: heads = width * 32 / 64");
    assertEquals(7, inferred.gridSize());
    assertTrue(inferred.expectedShapes().containsKey("visual.layer4.2.bn3.running_var"));
    assertTrue(inferred.expectedShapes().containsKey("visual.layer2.0.downsample.0.weight"));
  }

  @Test
  void writesAndReadsOpenAiSnakeCaseJson() throws IOException {
    ObjectMapper json = new ObjectMapper();
    ClipConfig config = ClipConfig.inferFrom(referenceShapes());

    String text = json.writeValueAsString(config);

    assertTrue(text.contains("\"vision_patch_size\":8"), text);
    assertEquals(config, json.readValue(text, ClipConfig.class));
  }

  @Test
  void survivesJavaSerialisationAsFlinkOperatorsNeed() throws Exception {
    ClipConfig config = ClipConfig.inferFrom(referenceShapes());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(config);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(config, in.readObject());
    }
  }

  @Test
  void rejectsAResolutionThatIsNotAWholeNumberOfPatches() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new ClipConfig(512, 225, 12, 768, 32, 77, 49408, 512, 8, 12));
  }
}
