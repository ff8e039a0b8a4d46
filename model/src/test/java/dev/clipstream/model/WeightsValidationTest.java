package dev.clipstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.model.weights.SafeTensorsFile;
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

  @TempDir Path dir;

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
        assertThrows(
            IncompatibleWeightsException.class,
            () -> ClipModel.load(broken, LoadOptions.defaults()));

    String message = e.getMessage();
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
    assertEquals(text + " is neither a safetensors file nor a TorchScript archive", e.getMessage());
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
