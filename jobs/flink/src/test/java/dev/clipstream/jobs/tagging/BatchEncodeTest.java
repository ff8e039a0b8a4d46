package dev.clipstream.jobs.tagging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.control.ControlMessage;
import dev.clipstream.jobs.control.LabelSetDefinitions;
import dev.clipstream.model.zeroshot.LabelSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batching operator with a transparent batch function (upper-casing), in Flink's harness, with
 * the forward pass on the task thread ({@code batch.in-flight} 0); BatchEncodeOverlapTest has it on
 * its own thread.
 */
class BatchEncodeTest {

  /**
   * Sizes of the batches the function saw, across harness instances (static: factories are
   * serialised).
   */
  static final ConcurrentLinkedQueue<Integer> BATCHES = new ConcurrentLinkedQueue<>();

  /** What the function saw, batches and control messages, in order. */
  static final ConcurrentLinkedQueue<String> EVENTS = new ConcurrentLinkedQueue<>();

  TwoInputStreamOperatorTestHarness<String, ControlMessage, String> harness;

  @AfterEach
  void closeHarness() throws Exception {
    if (harness != null) {
      harness.close();
    }
    BATCHES.clear();
    EVENTS.clear();
  }

  TwoInputStreamOperatorTestHarness<String, ControlMessage, String> open(
      int maxSize, Duration maxWait) throws Exception {
    harness = harness(maxSize, maxWait);
    harness.open();
    return harness;
  }

  static TwoInputStreamOperatorTestHarness<String, ControlMessage, String> harness(
      int maxSize, Duration maxWait) throws Exception {
    return new TwoInputStreamOperatorTestHarness<>(
        new BatchEncode<>(new BatchingOptions(maxSize, maxWait, 0), context -> new UpperCase()));
  }

  /** Upper-cases a batch; remembers the last control message, as a real function would. */
  static final class UpperCase implements BatchFunction<String, String> {
    ControlMessage current;

    @Override
    public List<String> apply(List<String> batch) {
      BATCHES.add(batch.size());
      EVENTS.add("batch of " + batch.size());
      return batch.stream().map(String::toUpperCase).toList();
    }

    @Override
    public void control(ControlMessage message) {
      EVENTS.add("control " + message.order);
      current = message;
    }

    @Override
    public List<ControlMessage> controlState() {
      return current == null ? List.of() : List.of(current);
    }
  }

  static ControlMessage labelSetVersion(long version) {
    return ControlMessage.of(
        LabelSetDefinitions.of(LabelSet.of("test", version, List.of("cat", "dog"))));
  }

  List<Object> emitted() {
    List<Object> out = new ArrayList<>();
    for (Object o : harness.getOutput()) {
      out.add(o instanceof StreamRecord<?> r ? r.getValue() : o);
    }
    return out;
  }

  @Test
  void runsOneForwardPassWhenTheBatchIsFull() throws Exception {
    open(3, Duration.ofHours(1));
    harness.processElement1("a", 1);
    harness.processElement1("b", 2);
    assertTrue(emitted().isEmpty(), "waits for a full batch");

    harness.processElement1("c", 3);

    assertEquals(List.of("A", "B", "C"), emitted());
    assertEquals(List.of(3), new ArrayList<>(BATCHES));
  }

  @Test
  void runsAPartialBatchOnceTheOldestInputHasWaitedMaxWait() throws Exception {
    open(64, Duration.ofMillis(20));
    harness.setProcessingTime(1_000);
    harness.processElement1("a", 1);
    harness.setProcessingTime(1_010);
    harness.processElement1("b", 2);
    harness.setProcessingTime(1_019);
    assertTrue(emitted().isEmpty());

    harness.setProcessingTime(1_020);

    assertEquals(List.of("A", "B"), emitted());
    assertEquals(List.of(2), new ArrayList<>(BATCHES));
  }

  @Test
  void flushesBeforeACheckpointBarrierSoNothingIsHeldAcrossIt() throws Exception {
    open(64, Duration.ofHours(1));
    harness.processElement1("a", 1);
    harness.processElement1("b", 2);

    harness.prepareSnapshotPreBarrier(1);

    assertEquals(List.of("A", "B"), emitted());
  }

  @Test
  void emitsBufferedRecordsBeforeTheWatermarkThatFollowsThem() throws Exception {
    open(64, Duration.ofHours(1));
    harness.processElement1("a", 10);
    harness.processElement1("b", 20);

    harness.processWatermark1(new Watermark(20));

    assertEquals(List.of("A", "B", new Watermark(20)), emitted());
  }

  @Test
  void keepsEachRecordsTimestamp() throws Exception {
    open(2, Duration.ofHours(1));
    harness.processElement1("a", 111);
    harness.processElement1("b", 222);

    List<Long> timestamps = new ArrayList<>();
    for (Object o : harness.getOutput()) {
      timestamps.add(((StreamRecord<?>) o).getTimestamp());
    }
    assertEquals(List.of(111L, 222L), timestamps);
  }

  @Test
  void flushesWhatIsLeftAtTheEndOfInput() throws Exception {
    open(64, Duration.ofHours(1));
    harness.processElement1("a", 1);

    harness.endInput1();

    assertEquals(List.of("A"), emitted());
  }

  @Test
  void aControlMessageRunsTheWaitingBatchFirstSoNoBatchMixesTwoConfigurations() throws Exception {
    open(64, Duration.ofHours(1));
    harness.processElement1("a", 1);
    harness.processElement1("b", 2);

    harness.processElement2(labelSetVersion(2), 3);
    harness.processElement1("c", 4);
    harness.endInput1();

    assertEquals(List.of("A", "B", "C"), emitted());
    assertEquals(List.of("batch of 2", "control 2", "batch of 1"), new ArrayList<>(EVENTS));
  }

  @Test
  void theControlInputDoesNotHoldBackTheImagesEventTime() throws Exception {
    open(64, Duration.ofHours(1));

    harness.processWatermark1(new Watermark(50));

    assertEquals(List.of(new Watermark(50)), emitted());
  }

  @Test
  void theControlStateIsCheckpointedAndReplayedOnRestore() throws Exception {
    open(64, Duration.ofHours(1));
    harness.processElement2(labelSetVersion(3), 1);
    harness.processElement2(labelSetVersion(4), 2);
    OperatorSubtaskState snapshot = harness.snapshot(1, 10);
    harness.close();
    EVENTS.clear();

    harness = harness(64, Duration.ofHours(1));
    harness.initializeState(snapshot);
    harness.open();

    assertEquals(List.of("control 4"), new ArrayList<>(EVENTS), "the newest survives the restore");
  }
}
