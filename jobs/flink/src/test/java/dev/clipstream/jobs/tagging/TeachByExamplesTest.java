package dev.clipstream.jobs.tagging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.control.ControlMessage;
import dev.clipstream.jobs.control.ModelStore;
import dev.clipstream.jobs.control.TaughtPrototypes;
import dev.clipstream.jobs.io.DeadLetters;
import dev.clipstream.jobs.io.PreparedImage;
import dev.clipstream.jobs.io.RecordOrigin;
import dev.clipstream.model.DefaultModel;
import dev.clipstream.model.data.DatasetLocator;
import dev.clipstream.model.data.FashionMnist;
import dev.clipstream.model.data.LabelledImages;
import dev.clipstream.model.fewshot.ClassPrototypes;
import dev.clipstream.model.preprocess.ImagePreprocessor;
import dev.clipstream.model.preprocess.PreprocessOptions;
import dev.clipstream.model.zeroshot.LabelSet;
import dev.clipstream.schemas.DeadLetter;
import dev.clipstream.schemas.ModelUpdate;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The teaching operator on the default model and real Fashion-MNIST images: its prototypes are the
 * sums of the examples' embeddings, they come back from a checkpoint, a model swap drops them, and
 * an example without a label is a dead letter.
 */
class TeachByExamplesTest {

  @TempDir static Path cache;
  @TempDir Path store;

  static LabelledImages images;

  @BeforeAll
  static void loadImages() throws Exception {
    images =
        FashionMnist.load(FashionMnist.Split.TEST, new DatasetLocator(Optional.empty(), cache))
            .head(3);
  }

  @Test
  void prototypesSurviveARestoreAndGrowFromThere() throws Exception {
    OperatorSubtaskState snapshot;
    TaggingSettings settings = settings();
    try (var harness = harness(settings)) {
      harness.open();
      harness.processElement1(example(0, "a"), 0);
      harness.processElement1(example(1, "a"), 0);
      snapshot = harness.snapshot(1, 1);
    }
    try (var restored = harness(settings)) {
      restored.initializeState(snapshot);
      restored.open();
      restored.processElement1(example(2, "b"), 0);
      ControlMessage last = last(restored);
      assertEquals(3, last.order, "the third example taught");
      TaughtPrototypes taught = last.taught();
      assertEquals(TaughtPrototypes.CONFIGURED_MODEL, taught.modelKey());
      assertEquals(2, taught.prototypes().count("a"));
      assertEquals(1, taught.prototypes().count("b"));
    }
    // The oracle: the same embeddings summed outside the operator.
    try (var fresh = harness(settings)) {
      fresh.open();
      fresh.processElement1(example(0, "a"), 0);
      fresh.processElement1(example(1, "a"), 0);
      ClassPrototypes direct = last(fresh).taught().prototypes();
      try (var restored = harness(settings)) {
        restored.initializeState(snapshot);
        restored.open();
        restored.processElement1(example(2, "b"), 0);
        assertArrayEquals(direct.sum("a"), last(restored).taught().prototypes().sum("a"), 1e-9);
      }
    }
  }

  @Test
  void aModelSwapDropsThePrototypesOfTheOldModel() throws Exception {
    Path weights = store.resolve("no-bag.safetensors");
    DefaultModel.copyTo(DefaultModel.WITHOUT_BAG_ANKLE_BOOT, weights);
    ModelUpdate update =
        ModelUpdate.newBuilder()
            .setModelVersion("no-bag")
            .setTrainingStep(1)
            .setCheckpointUri(weights.getFileName().toString())
            .setWeightsSha256(ModelStore.sha256Of(weights))
            .setCreatedTime(Instant.now())
            .build();
    try (var harness = harness(settings())) {
      harness.open();
      harness.processElement1(example(0, "a"), 0);
      harness.processElement2(ControlMessage.of(update), 0);
      TaughtPrototypes after = last(harness).taught();
      assertEquals(ModelStore.sha256Of(weights).toLowerCase(), after.modelKey());
      assertTrue(after.prototypes().labels().isEmpty(), "the old model's sums are gone");
      harness.processElement1(example(1, "a"), 0);
      assertEquals(1, last(harness).taught().prototypes().count("a"), "taught anew");
    }
  }

  @Test
  void anExampleWithoutALabelIsADeadLetter() throws Exception {
    try (var harness = harness(settings())) {
      harness.open();
      PreparedImage unlabelled = example(0, null);
      unlabelled.payload = "the example's record".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      harness.processElement1(unlabelled, 0);
      ConcurrentLinkedQueue<StreamRecord<DeadLetter>> dead = harness.getSideOutput(DeadLetters.TAG);
      assertEquals(1, dead.size());
      DeadLetter letter = dead.peek().getValue();
      assertTrue(letter.getReason().toString().contains("needs a label"));
      assertEquals("examples", letter.getSourceTopic().toString());
      byte[] payload = new byte[letter.getPayload().remaining()];
      letter.getPayload().duplicate().get(payload);
      assertArrayEquals(unlabelled.payload, payload, "the whole record");
      assertTrue(harness.getOutput().isEmpty(), "nothing taught");
    }
  }

  private TaggingSettings settings() {
    return new TaggingSettings(
        "",
        28,
        new BatchingOptions(8, Duration.ofMillis(20)),
        LabelSet.of("fashion-mnist", 1, FashionMnist.CLASSES),
        3,
        store.toString());
  }

  private static TwoInputStreamOperatorTestHarness<PreparedImage, ControlMessage, ControlMessage>
      harness(TaggingSettings settings) throws Exception {
    return new TwoInputStreamOperatorTestHarness<>(
        new CoProcessOperator<>(new TeachByExamples(settings)));
  }

  private static PreparedImage example(int i, String label) {
    float[] pixels =
        new ImagePreprocessor(PreprocessOptions.defaults(28)).preprocess(images.pixels(i));
    PreparedImage p =
        new PreparedImage(
            "example-" + i,
            0L,
            null,
            28,
            ImagePreprocessor.quantise(pixels),
            new RecordOrigin("examples", 0, i, 0L, 0));
    p.label = label;
    return p;
  }

  @SuppressWarnings("unchecked")
  private static ControlMessage last(
      TwoInputStreamOperatorTestHarness<PreparedImage, ControlMessage, ControlMessage> harness) {
    List<ControlMessage> out =
        harness.getOutput().stream()
            .filter(StreamRecord.class::isInstance)
            .map(r -> ((StreamRecord<ControlMessage>) r).getValue())
            .toList();
    return out.get(out.size() - 1);
  }
}
