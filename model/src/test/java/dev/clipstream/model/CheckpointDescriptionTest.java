package dev.clipstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.model.nn.Activation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What tensors cannot tell comes from the checkpoint's description, never from a guess: a GELU
 * checkpoint without one is refused, a description that contradicts the caller is refused, and each
 * layout's own description (open_clip config, clipstream metadata, manifest) is read.
 */
class CheckpointDescriptionTest {

  @TempDir Path dir;

  private Path bareGeluWeights() throws IOException {
    Path bare = dir.resolve("bare/weights.safetensors");
    Files.createDirectories(bare.getParent());
    Files.copy(ModelFamiliesReferenceTest.gelu("weights.safetensors"), bare);
    return bare;
  }

  @Test
  void refusesOpenAiNamedWeightsWithoutDescriptionSayingWhatToPass() throws IOException {
    Path bare = bareGeluWeights();

    IncompatibleWeightsException e =
        assertThrows(
            IncompatibleWeightsException.class, () -> ClipModel.load(bare, LoadOptions.defaults()));

    assertTrue(e.getMessage().contains("--activation quick_gelu|gelu"), e.getMessage());
    assertTrue(e.getMessage().startsWith(bare.toString()), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void theActivationMattersTheWeightsCannotTellAndQuickGeluMissesTheGeluReference()
      throws IOException {
    LoadOptions wrong = LoadOptions.builder().optActivation(Activation.QUICK_GELU).build();
    try (ClipModel model = ClipModel.load(bareGeluWeights(), wrong)) {
      ReferenceCheck.Result result =
          ReferenceCheck.run(model, ModelFamiliesReferenceTest.gelu("io.safetensors"), 6);

      assertFalse(result.passed(ReferenceCheck.DEFAULT_THRESHOLD), result.toString());
    }
  }

  @Test
  void refusesAStatedActivationThatContradictsTheCheckpointsConfig() {
    LoadOptions options =
        LoadOptions.builder()
            .optConfig(ModelFamiliesReferenceTest.gelu("config.json"))
            .optActivation(Activation.QUICK_GELU)
            .build();

    IncompatibleWeightsException e =
        assertThrows(
            IncompatibleWeightsException.class,
            () -> ClipModel.load(ModelFamiliesReferenceTest.gelu("weights.safetensors"), options));

    assertTrue(e.getMessage().startsWith("activation is gelu by "), e.getMessage());
    assertTrue(e.getMessage().contains("quick_gelu by --activation"), e.getMessage());
  }

  @Test
  void readsAnOpenClipFolderWhoseConfigLeavesQuickGeluOutAsExactGelu() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("open-clip"));
    Files.copy(
        ModelFamiliesReferenceTest.gelu("weights.safetensors"),
        folder.resolve("open_clip_model.safetensors"));
    Files.writeString(
        folder.resolve("open_clip_config.json"),
        """
        {"model_cfg": {"embed_dim": 64,
          "vision_cfg": {"image_size": 32, "layers": 2, "width": 128, "patch_size": 8},
          "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 64, "heads": 1,
                       "layers": 2}},
         "preprocess_cfg": {}}
        """);

    try (ClipModel model = ClipModel.load(folder, LoadOptions.defaults())) {
      assertEquals(Activation.GELU, model.config().activation());
      ReferenceCheck.Result result =
          ReferenceCheck.run(model, ModelFamiliesReferenceTest.gelu("io.safetensors"), 6);
      assertTrue(result.passed(ReferenceCheck.DEFAULT_THRESHOLD), result.toString());
    }
  }

  @Test
  void savedWeightsCarryTheirActivationEvenWithoutTheirManifest() throws IOException {
    LoadOptions options =
        LoadOptions.builder().optConfig(ModelFamiliesReferenceTest.gelu("config.json")).build();
    Path saved = dir.resolve("saved.safetensors");
    try (ClipModel model =
        ClipModel.load(ModelFamiliesReferenceTest.gelu("weights.safetensors"), options)) {
      model.save(saved, Map.of("source", "test"));
    }
    Files.delete(WeightsManifest.pathFor(saved));

    try (ClipModel reloaded = ClipModel.load(saved, LoadOptions.defaults())) {
      assertEquals(Activation.GELU, reloaded.config().activation());
    }
  }

  @Test
  void refusesAHuggingFaceFolderWithOnlyAPickleAndSaysHowToConvert() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("hf"));
    Files.copy(
        ReferenceFixtures.resource("reference-hf", "config.json"), folder.resolve("config.json"));
    Files.write(folder.resolve("pytorch_model.bin"), new byte[] {0x50, 0x4b, 3, 4});

    IncompatibleWeightsException e =
        assertThrows(
            IncompatibleWeightsException.class,
            () -> ClipModel.load(folder, LoadOptions.defaults()));

    assertTrue(e.getMessage().contains("safe_serialization=True"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }
}
