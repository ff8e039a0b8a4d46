package dev.clipstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipstream.model.data.DatasetLocator;
import dev.clipstream.model.data.FashionMnist;
import dev.clipstream.model.data.LabelledImages;
import dev.clipstream.model.tokenizer.ClipTokenizer;
import dev.clipstream.model.zeroshot.EvaluationReport;
import dev.clipstream.model.zeroshot.LabelSet;
import dev.clipstream.model.zeroshot.ZeroShotEvaluation;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped default model is what its manifest says it is. */
class DefaultModelTest {

  @TempDir Path cache;

  @Test
  void reproducesTheTestAccuracyInItsManifest() throws Exception {
    JsonNode manifest = DefaultModel.manifest();
    double recorded = Double.parseDouble(manifest.get("test_accuracy").asText());
    DatasetLocator bundledOrDebian = new DatasetLocator(Optional.empty(), cache);
    LabelledImages test = FashionMnist.load(FashionMnist.Split.TEST, bundledOrDebian);

    try (ClipModel model = DefaultModel.load()) {
      EvaluationReport report =
          ZeroShotEvaluation.run(
              model,
              ClipTokenizer.load(),
              test,
              LabelSet.of("fashion-mnist", 1, FashionMnist.CLASSES));

      assertEquals(10_000, report.total());
      assertEquals(recorded, report.accuracy(), 5e-4, "manifest says " + recorded);
      assertTrue(
          report.accuracy() > 0.85,
          "the default model tags real images well: " + report.accuracy());
    }
  }

  @Test
  void namesItsVersionAfterItsWeights() throws Exception {
    String sha = DefaultModel.manifest().get("sha256").asText();
    assertEquals("default-" + sha.substring(0, 12), DefaultModel.version());
    try (var in =
        DefaultModel.class.getResourceAsStream(DefaultModel.FOLDER + DefaultModel.WEIGHTS)) {
      java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
      assertEquals(
          sha,
          java.util.HexFormat.of().formatHex(digest.digest(in.readAllBytes())),
          "the manifest's SHA-256 is the file's");
    }
  }
}
