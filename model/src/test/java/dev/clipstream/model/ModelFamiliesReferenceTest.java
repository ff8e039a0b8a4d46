package dev.clipstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.model.weights.TorchScriptSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each model family and checkpoint layout reproduces OpenAI's float32 outputs (computed by OpenAI's
 * code) to the bound {@code clipstream model verify} holds: the ModifiedResNet from safetensors and
 * from its TorchScript archive, the exact-GELU ViT, and the Hugging Face layout.
 */
class ModelFamiliesReferenceTest {

  static Path resnet(String name) {
    return ReferenceFixtures.resource("reference-resnet", name);
  }

  static Path gelu(String name) {
    return ReferenceFixtures.resource("reference-gelu", name);
  }

  static Path hfFolder() {
    return ReferenceFixtures.resource("reference-hf", "config.json").getParent();
  }

  private static void assertVerifies(ClipModel model, Path io, int batchSize) throws IOException {
    ReferenceCheck.Result result = ReferenceCheck.run(model, io, batchSize);
    System.out.println(model.config() + " " + result);
    assertTrue(result.passed(ReferenceCheck.DEFAULT_THRESHOLD), result.toString());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 6})
  void modifiedResNetFromSafetensorsMatchesOpenAi(int batchSize) throws IOException {
    LoadOptions options = LoadOptions.builder().optConfig(resnet("config.json")).build();
    try (ClipModel model = ClipModel.load(resnet("weights.safetensors"), options)) {
      assertTrue(model.config().isResNet());
      assertEquals(List.of(1, 1, 1, 1), model.config().visionStageLayers());
      assertEquals(8, model.config().visionHeads(), "width 16 * 32 / 64");
      assertEquals(64, model.config().imageResolution());
      assertVerifies(model, resnet("io.safetensors"), batchSize);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 6})
  void modifiedResNetFromTorchScriptMatchesOpenAi(int batchSize) throws IOException {
    LoadOptions trusted = LoadOptions.builder().optAllowTorchScript(true).build();
    try (ClipModel model = ClipModel.load(resnet("model.torchscript.pt"), trusted)) {
      assertVerifies(model, resnet("io.safetensors"), batchSize);
    }
  }

  @Test
  void torchScriptArchivesYieldTheirBuffersNotOnlyParameters() throws IOException {
    try (TorchScriptSource source = TorchScriptSource.open(resnet("model.torchscript.pt"));
        var file =
            dev.clipstream.model.weights.SafeTensorsSource.open(resnet("weights.safetensors"))) {
      String name = "visual.layer3.0.downsample.1.running_var";
      assertTrue(source.shapes().containsKey(name), source.shapes().keySet().toString());
      float[] fromArchive = source.floats(name);
      float[] fromFile = file.floats(name);
      // The archive is float32, the file float16 of the same values.
      assertTrue(ReferenceCheck.relativeError(fromArchive, fromFile) < 1e-3);
      assertTrue(fromArchive[0] != 1f, "running_var is off its default");
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 6})
  void exactGeluViTDescribedByItsConfigMatchesOpenAi(int batchSize) throws IOException {
    LoadOptions options = LoadOptions.builder().optConfig(gelu("config.json")).build();
    try (ClipModel model = ClipModel.load(gelu("weights.safetensors"), options)) {
      assertEquals(dev.clipstream.model.nn.Activation.GELU, model.config().activation());
      assertVerifies(model, gelu("io.safetensors"), batchSize);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 6})
  void huggingFaceFolderMatchesOpenAi(int batchSize) throws IOException {
    try (ClipModel model = ClipModel.load(hfFolder(), LoadOptions.defaults())) {
      assertVerifies(model, ReferenceFixtures.io(), batchSize);
    }
  }
}
