package dev.clipstream.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import dev.clipstream.model.checkpoint.Checkpoint;
import dev.clipstream.model.checkpoint.CheckpointConverter;
import dev.clipstream.model.weights.DType;
import dev.clipstream.model.weights.SafeTensorsFile;
import dev.clipstream.model.weights.TorchScriptSource;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** OpenAI-style TorchScript archives load through their named parameters, and only on request. */
class TorchScriptLoadTest {

  private static final LoadOptions TRUSTED =
      LoadOptions.builder().optAllowTorchScript(true).build();

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(ints = {1, 6})
  void reproducesOpenAiOutputsFromTheArchivesNamedParameters(int batchSize) throws IOException {
    try (ClipModel model = ClipModel.load(ReferenceFixtures.torchScript(), TRUSTED)) {
      ReferenceCheck.Result result = ReferenceCheck.run(model, ReferenceFixtures.io(), batchSize);

      System.out.println("torchscript " + result);
      assertTrue(result.passed(ReferenceCheck.DEFAULT_THRESHOLD), result.toString());
    }
  }

  @Test
  void refusesAnArchiveWithoutTheOptInSayingItRunsCodeAndHowToOptIn() {
    SecurityException e =
        assertThrows(
            SecurityException.class,
            () -> ClipModel.load(ReferenceFixtures.torchScript(), LoadOptions.defaults()));

    assertTrue(
        e.getMessage().contains("clipstream model convert --from openai-pt"), e.getMessage());
    assertTrue(e.getMessage().contains("can run code when loaded"), e.getMessage());
  }

  @Test
  void agreesWithTheArchivesOwnEncodeImage() throws IOException {
    SafeTensorsFile io = SafeTensorsFile.read(ReferenceFixtures.io());
    try (ClipModel model = ClipModel.load(ReferenceFixtures.torchScript(), TRUSTED);
        TorchScriptSource archive = TorchScriptSource.open(ReferenceFixtures.torchScript());
        NDManager manager = model.newBatchManager()) {
      NDArray pixels = manager.create(io.floats("pixel_values"), new Shape(6, 3, 32, 32));
      float[] theirs;
      try (IValue input = IValue.from((PtNDArray) pixels);
          IValue output = IValueUtils.runMethod(archive.module(), "encode_image", input)) {
        theirs = output.toTensor((PtNDManager) manager).toFloatArray();
      }
      float[] ours = model.encodeImage(pixels).toFloatArray();

      assertTrue(ReferenceCheck.relativeError(ours, theirs) < 1e-5);
    }
  }

  @Test
  void convertsAnArchiveToSafetensorsWithTheSameParameters() throws IOException {
    Path converted = dir.resolve("converted.safetensors");
    CheckpointConverter.convert(
        ReferenceFixtures.torchScript(),
        Checkpoint.Layout.OPENAI_TORCHSCRIPT,
        converted,
        DType.F32,
        LoadOptions.defaults());

    try (ClipModel fromArchive = ClipModel.load(ReferenceFixtures.torchScript(), TRUSTED);
        ClipModel fromFile = ClipModel.load(converted, LoadOptions.defaults())) {
      assertEquals(fromArchive.config(), fromFile.config());
      fromArchive
          .parameters()
          .forEach(
              (name, parameter) ->
                  assertArrayEquals(
                      parameter.getArray().toFloatArray(),
                      fromFile.parameters().get(name).getArray().toFloatArray(),
                      name));
    }
  }
}
