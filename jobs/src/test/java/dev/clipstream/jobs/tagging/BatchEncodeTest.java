package dev.clipstream.jobs.tagging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The batching operator with a transparent batch function (upper-casing), in Flink's harness. */
class BatchEncodeTest {

  /**
   * Sizes of the batches the function saw, across harness instances (static: factories are
   * serialised).
   */
  static final ConcurrentLinkedQueue<Integer> BATCHES = new ConcurrentLinkedQueue<>();

  OneInputStreamOperatorTestHarness<String, String> harness;

  @AfterEach
  void closeHarness() throws Exception {
    if (harness != null) {
      harness.close();
    }
    BATCHES.clear();
  }

  OneInputStreamOperatorTestHarness<String, String> open(int maxSize, Duration maxWait)
      throws Exception {
    BatchFunction.Factory<String, String> factory =
        context ->
            batch -> {
              BATCHES.add(batch.size());
              return batch.stream().map(String::toUpperCase).toList();
            };
    harness =
        new OneInputStreamOperatorTestHarness<>(
            new BatchEncode<>(new BatchingOptions(maxSize, maxWait), factory));
    harness.open();
    return harness;
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
    harness.processElement("a", 1);
    harness.processElement("b", 2);
    assertTrue(emitted().isEmpty(), "waits for a full batch");

    harness.processElement("c", 3);

    assertEquals(List.of("A", "B", "C"), emitted());
    assertEquals(List.of(3), new ArrayList<>(BATCHES));
  }

  @Test
  void runsAPartialBatchOnceTheOldestInputHasWaitedMaxWait() throws Exception {
    open(64, Duration.ofMillis(20));
    harness.setProcessingTime(1_000);
    harness.processElement("a", 1);
    harness.setProcessingTime(1_010);
    harness.processElement("b", 2);
    harness.setProcessingTime(1_019);
    assertTrue(emitted().isEmpty());

    harness.setProcessingTime(1_020);

    assertEquals(List.of("A", "B"), emitted());
    assertEquals(List.of(2), new ArrayList<>(BATCHES));
  }

  @Test
  void flushesBeforeACheckpointBarrierSoNothingIsHeldAcrossIt() throws Exception {
    open(64, Duration.ofHours(1));
    harness.processElement("a", 1);
    harness.processElement("b", 2);

    harness.prepareSnapshotPreBarrier(1);

    assertEquals(List.of("A", "B"), emitted());
  }

  @Test
  void emitsBufferedRecordsBeforeTheWatermarkThatFollowsThem() throws Exception {
    open(64, Duration.ofHours(1));
    harness.processElement("a", 10);
    harness.processElement("b", 20);

    harness.processWatermark(new Watermark(20));

    assertEquals(List.of("A", "B", new Watermark(20)), emitted());
  }

  @Test
  void keepsEachRecordsTimestamp() throws Exception {
    open(2, Duration.ofHours(1));
    harness.processElement("a", 111);
    harness.processElement("b", 222);

    List<Long> timestamps = new ArrayList<>();
    for (Object o : harness.getOutput()) {
      timestamps.add(((StreamRecord<?>) o).getTimestamp());
    }
    assertEquals(List.of(111L, 222L), timestamps);
  }

  @Test
  void flushesWhatIsLeftAtTheEndOfInput() throws Exception {
    open(64, Duration.ofHours(1));
    harness.processElement("a", 1);

    harness.endInput();

    assertEquals(List.of("A"), emitted());
  }
}
