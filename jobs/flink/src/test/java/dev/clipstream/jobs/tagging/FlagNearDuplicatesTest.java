package dev.clipstream.jobs.tagging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.clipstream.model.confidence.UnknownRule;
import dev.clipstream.model.features.Vectors;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Near-duplicates flagged in the stream, per producer, across a restore. */
class FlagNearDuplicatesTest {

  private static final ResultOptions PER_SOURCE =
      new ResultOptions(UnknownRule.NEVER, 100, 0.99f, 1f, true);

  private static final float[] SHOE = Vectors.normalised(new float[] {1, 0.01f, 0});
  private static final float[] SHOE_REPOST = Vectors.normalised(new float[] {1, 0.02f, 0});
  private static final float[] BAG = Vectors.normalised(new float[] {0, 1, 0});

  @Test
  void flagsARepostWithTheEarlierEventAndItsSimilarity() throws Exception {
    try (var harness = harness(PER_SOURCE)) {
      harness.open();
      harness.processElement(image("a", "shop", SHOE), 0);
      harness.processElement(image("b", "shop", BAG), 0);
      harness.processElement(image("c", "shop", SHOE_REPOST), 0);
      List<EncodedImage> out = outputs(harness);
      assertNull(out.get(0).duplicateOf);
      assertNull(out.get(1).duplicateOf);
      assertEquals("a", out.get(2).duplicateOf);
      assertEquals(Vectors.dot(SHOE, SHOE_REPOST), out.get(2).duplicateSimilarity, 1e-6f);
    }
  }

  @Test
  void looksOnlyAmongTheSameProducersEventsUnlessGlobal() throws Exception {
    try (var harness = harness(PER_SOURCE)) {
      harness.open();
      harness.processElement(image("a", "shop-1", SHOE), 0);
      harness.processElement(image("b", "shop-2", SHOE_REPOST), 0);
      assertNull(outputs(harness).get(1).duplicateOf);
    }
    ResultOptions global = new ResultOptions(UnknownRule.NEVER, 100, 0.99f, 1f, false);
    try (var harness = harness(global)) {
      harness.open();
      harness.processElement(image("a", "shop-1", SHOE), 0);
      harness.processElement(image("b", "shop-2", SHOE_REPOST), 0);
      assertEquals("a", outputs(harness).get(1).duplicateOf);
    }
  }

  @Test
  void theWindowSurvivesARestoreFromACheckpoint() throws Exception {
    OperatorSubtaskState snapshot;
    try (var harness = harness(PER_SOURCE)) {
      harness.open();
      harness.processElement(image("a", "shop", SHOE), 0);
      snapshot = harness.snapshot(1, 1);
    }
    try (var restored = harness(PER_SOURCE)) {
      restored.initializeState(snapshot);
      restored.open();
      restored.processElement(image("c", "shop", SHOE_REPOST), 0);
      assertEquals("a", outputs(restored).get(0).duplicateOf);
    }
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, EncodedImage, EncodedImage> harness(
      ResultOptions options) throws Exception {
    return new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new FlagNearDuplicates(options)),
        image -> FlagNearDuplicates.scopeOf(image, options),
        Types.STRING);
  }

  private static EncodedImage image(String id, String producer, float[] embedding) {
    EncodedImage image = new EncodedImage(id, 0L, "m", embedding, null);
    image.producer = producer;
    return image;
  }

  @SuppressWarnings("unchecked")
  private static List<EncodedImage> outputs(
      KeyedOneInputStreamOperatorTestHarness<String, EncodedImage, EncodedImage> harness) {
    return harness.getOutput().stream()
        .filter(StreamRecord.class::isInstance)
        .map(r -> ((StreamRecord<EncodedImage>) r).getValue())
        .toList();
  }
}
