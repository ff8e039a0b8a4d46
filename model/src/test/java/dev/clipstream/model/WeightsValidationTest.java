package dev.clipstream.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.model.nn.Activation;
import dev.clipstream.model.weights.SafeTensorsFile;
import dev.clipstream.model.weights.SafeTensorsFormatException;
import dev.clipstream.model.weights.SafeTensorsWriter;
import dev.clipstream.model.weights.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A weights file that does not fit its CLIP is refused with every problem named at once. */
class WeightsValidationTest {

  private static final String DROPPED = "transformer.resblocks.1.mlp.c_fc.bias";
  private static final String RESHAPED = "visual.transformer.resblocks.0.ln_2.weight";
  private static final String ADDED = "visual.extra_head.weight";

  private static final LoadOptions QUICK_GELU =
      LoadOptions.builder().optActivation(Activation.QUICK_GELU).build();

  @TempDir Path dir;

  @Test
  void refusesAnUnknownActivationNamingTheField() throws IOException {
    Path config = dir.resolve("config.json");
    Files.writeString(
        config,
        "{\"vision_config\": {\"hidden_act\": \"gelu_new\"},"
            + " \"text_config\": {\"hidden_act\": \"gelu_new\"}}");

    IncompatibleWeightsException e =
        assertThrows(
            IncompatibleWeightsException.class,
            () ->
                ClipModel.load(
                    ReferenceFixtures.weights(), LoadOptions.builder().optConfig(config).build()));

    assertTrue(
        e.getMessage().contains("hidden_act: unknown activation 'gelu_new'"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void refusesAResNetWhosePoolGridIsNotSquare() throws IOException {
    Path resnet = ReferenceFixtures.resource("reference-resnet", "weights.safetensors");
    SafeTensorsFile file = SafeTensorsFile.read(resnet);
    SafeTensorsWriter writer = new SafeTensorsWriter();
    String pool = "visual.attnpool.positional_embedding";
    for (TensorInfo info : file.tensors().values()) {
      if (!info.dtype().isFloating()) {
        continue;
      }
      long[] shape = info.shape();
      float[] values = file.floats(info.name());
      if (info.name().equals(pool)) {
        shape = new long[] {shape[0] + 2, shape[1]}; // 2x2 + 1 rows become 7: no square grid
        values = Arrays.copyOf(values, (int) (shape[0] * shape[1]));
      }
      writer.add(info.name(), info.dtype(), shape, values);
    }
    Path broken = dir.resolve("resnet.safetensors");
    writer.write(broken);

    IncompatibleWeightsException e =
        assertThrows(IncompatibleWeightsException.class, () -> ClipModel.load(broken, QUICK_GELU));

    assertTrue(e.getMessage().startsWith(pool + " has "), e.getMessage());
    assertTrue(e.getMessage().contains("not a square grid"), e.getMessage());
  }

  @Test
  void refusesATruncatedFileNamingTheTensorThatDoesNotFit() throws IOException {
    byte[] whole = Files.readAllBytes(ReferenceFixtures.weights());
    Path truncated = dir.resolve("truncated.safetensors");
    Files.write(truncated, Arrays.copyOf(whole, whole.length / 2));

    SafeTensorsFormatException e =
        assertThrows(SafeTensorsFormatException.class, () -> ClipModel.load(truncated, QUICK_GELU));

    assertTrue(e.getMessage().matches(".*tensor '[^']+' .* does not fit bytes .*"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void namesEveryMissingExtraAndMisShapedTensorInOneMessage() throws IOException {
    SafeTensorsFile reference = SafeTensorsFile.read(ReferenceFixtures.weights());
    SafeTensorsWriter writer = new SafeTensorsWriter();
    for (TensorInfo info : reference.tensors().values()) {
      if (info.name().equals(DROPPED)) {
        continue;
      }
      float[] values = reference.floats(info.name());
      long[] shape = info.shape();
      if (info.name().equals(RESHAPED)) {
        values = Arrays.copyOf(values, values.length - 1);
        shape = new long[] {shape[0] - 1};
      }
      writer.add(info.name(), info.dtype(), shape, values);
    }
    writer.add(ADDED, reference.info("visual.proj").dtype(), new long[] {2, 2}, new float[4]);
    writer.add("context_length", new long[] {}, new long[] {77});
    Path broken = dir.resolve("broken.safetensors");
    writer.write(broken);

    IncompatibleWeightsException e =
        assertThrows(IncompatibleWeightsException.class, () -> ClipModel.load(broken, QUICK_GELU));

    String message = e.getMessage();
    assertFalse(message.contains("\n"), "one line: " + message);
    System.out.println(message);
    assertTrue(message.contains("missing (1): " + DROPPED + " [256]"), message);
    assertTrue(message.contains("unexpected (1): " + ADDED + " [2, 2]"), message);
    assertTrue(
        message.contains("wrong shape (1): " + RESHAPED + " expected [128] found [127]"), message);
    assertTrue(!message.contains("context_length"), "OpenAI's non-parameter keys are ignored");
  }

  @Test
  void refusesAFileThatIsNeitherSafetensorsNorTorchScript() throws IOException {
    Path text = Files.writeString(dir.resolve("notes.safetensors"), "not weights at all");

    IncompatibleWeightsException e =
        assertThrows(
            IncompatibleWeightsException.class, () -> ClipModel.load(text, LoadOptions.defaults()));
    assertTrue(
        e.getMessage().startsWith(text + " is neither a safetensors file, a TorchScript archive"),
        e.getMessage());
  }

  @Test
  void refusesAPickleCheckpointAndSaysHowToConvertIt() throws IOException {
    Path checkpoint = dir.resolve("ViT-B-32-state-dict.pt");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(checkpoint))) {
      zip.putNextEntry(new ZipEntry("archive/data.pkl")); // torch.save's layout: no code/ entries
      zip.write(new byte[] {(byte) 0x80, 2});
      zip.closeEntry();
    }

    IncompatibleWeightsException e =
        assertThrows(
            IncompatibleWeightsException.class,
            () ->
                ClipModel.load(
                    checkpoint, LoadOptions.builder().optAllowTorchScript(true).build()));
    assertTrue(e.getMessage().contains("safetensors.torch.save_file"), e.getMessage());
  }
}
