package dev.clipstream.jobs.tagging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.control.ControlMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.StreamTaskActionExecutor;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.MailboxExecutorImpl;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Overlapped inference ({@code batch.in-flight} 1): the forward pass runs on a thread of its own
 * while the task thread collects the next batch; results still come out in input order, behind
 * nothing and ahead of the watermarks after them, and nothing is in flight across a barrier or a
 * control message. The forward pass here waits for a permit, so each test decides when it ends.
 */
class BatchEncodeOverlapTest {

  /** Permits for forward passes to finish (static: the factory is serialised). */
  static Semaphore permits;

  static CountDownLatch started;
  static final ConcurrentLinkedQueue<String> EVENTS = new ConcurrentLinkedQueue<>();
  static volatile boolean fail;

  TwoInputStreamOperatorTestHarness<String, ControlMessage, String> harness;

  @BeforeEach
  void gates() {
    permits = new Semaphore(0);
    started = new CountDownLatch(1);
    fail = false;
  }

  @AfterEach
  void closeHarness() throws Exception {
    permits.release(100);
    if (harness != null) {
      harness.close();
    }
    EVENTS.clear();
  }

  /** Upper-cases a batch once it gets a permit; records the thread it ran on. */
  static final class GatedUpperCase implements BatchFunction<String, String> {
    @Override
    public List<String> apply(List<String> batch) throws Exception {
      EVENTS.add("batch of " + batch.size() + " on " + Thread.currentThread().getName());
      started.countDown();
      if (!permits.tryAcquire(1, TimeUnit.MINUTES)) {
        throw new IllegalStateException("no permit");
      }
      if (fail) {
        throw new java.io.IOException("the forward pass failed");
      }
      return batch.stream().map(String::toUpperCase).toList();
    }

    @Override
    public void control(ControlMessage message) {
      EVENTS.add("control " + message.order);
    }
  }

  void open(int maxSize) throws Exception {
    open(maxSize, Duration.ofHours(1));
  }

  void open(int maxSize, Duration maxWait) throws Exception {
    BatchEncode<String, String> operator =
        new BatchEncode<>(
            new BatchingOptions(maxSize, maxWait, 1), context -> new GatedUpperCase());
    harness = new TwoInputStreamOperatorTestHarness<>(operator);
    // A task gives a YieldingOperator its mailbox; the harness does not, so do it as the task does.
    operator.setMailboxExecutor(
        new MailboxExecutorImpl(harness.getTaskMailbox(), 0, StreamTaskActionExecutor.IMMEDIATE));
    harness.open();
  }

  List<Object> emitted() {
    List<Object> out = new ArrayList<>();
    for (Object o : harness.getOutput()) {
      out.add(o instanceof StreamRecord<?> r ? r.getValue() : o);
    }
    return out;
  }

  /** Runs the task's mailbox as the task thread would between records. */
  void runMails() throws Exception {
    TaskMailbox mailbox = harness.getTaskMailbox();
    Optional<Mail> mail;
    while ((mail = mailbox.tryTake(TaskMailbox.MIN_PRIORITY)).isPresent()) {
      mail.get().run();
    }
  }

  /** Waits until the mailbox has a mail (the forward thread's "done"), then runs it. */
  void awaitAndRunMail() throws Exception {
    long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(1); // gives up; bounds nothing
    Optional<Mail> mail;
    while ((mail = harness.getTaskMailbox().tryTake(TaskMailbox.MIN_PRIORITY)).isEmpty()) {
      assertTrue(System.nanoTime() < until, "the forward thread never said it was done");
      Thread.sleep(5);
    }
    mail.get().run();
    runMails();
  }

  @Test
  void theNextBatchIsCollectedWhileTheForwardPassRunsOnItsOwnThread() throws Exception {
    open(2);
    harness.processElement1("a", 1);
    harness.processElement1("b", 2); // full: handed to the forward thread
    assertTrue(started.await(1, TimeUnit.MINUTES));

    harness.processElement1("c", 3); // the task thread is free while the forward runs
    assertEquals(List.of(), emitted(), "nothing before the forward pass ends");

    permits.release();
    awaitAndRunMail();
    assertEquals(List.of("A", "B"), emitted(), "emitted from the mailbox, in order");
    assertTrue(EVENTS.peek().endsWith("on clipstream-forward-0"), EVENTS.toString());

    permits.release();
    harness.prepareSnapshotPreBarrier(1);
    assertEquals(List.of("A", "B", "C"), emitted(), "the barrier waits for the last batch");
  }

  @Test
  void aBatchThatOutwaitsMaxWaitWhileTheForwardIsBusyKeepsFillingUntilItIsFree() throws Exception {
    open(4, Duration.ofMillis(10));
    harness.setProcessingTime(1_000);
    for (String s : List.of("a", "b", "c", "d")) {
      harness.processElement1(s, 1); // full: to the forward thread, which is held
    }
    assertTrue(started.await(1, TimeUnit.MINUTES));
    harness.processElement1("e", 2);
    harness.setProcessingTime(1_010); // e has waited max-wait, but the forward thread is busy
    harness.processElement1("f", 3); // so the task thread goes on taking inputs into e's batch
    harness.processElement1("g", 4);
    assertEquals(List.of(), emitted());

    permits.release();
    awaitAndRunMail(); // ABCD done: e's batch goes at once, with all it gathered meanwhile
    assertEquals(List.of("A", "B", "C", "D"), emitted());
    permits.release();
    awaitAndRunMail();
    assertEquals(List.of("A", "B", "C", "D", "E", "F", "G"), emitted());
    List<String> batches = new ArrayList<>();
    for (String e : EVENTS) {
      batches.add(e.replaceAll(" on .*", ""));
    }
    assertEquals(List.of("batch of 4", "batch of 3"), batches);
  }

  @Test
  void aBatchThatOutwaitsMaxWaitWithTheForwardThreadIdleGoesAtOnce() throws Exception {
    open(4, Duration.ofMillis(10));
    harness.setProcessingTime(1_000);
    harness.processElement1("a", 1);
    harness.setProcessingTime(1_010);
    assertTrue(started.await(1, TimeUnit.MINUTES), "max-wait ran out: the batch of one runs");
    permits.release();
    awaitAndRunMail();
    assertEquals(List.of("A"), emitted());
  }

  @Test
  void withOneBatchInFlightTheSecondWaitsForTheFirstAndOrderHolds() throws Exception {
    open(1);
    permits.release(3);
    harness.processElement1("a", 1);
    harness.processElement1("b", 2); // waits for "a" to finish first
    harness.processElement1("c", 3);
    runMails();
    harness.endInput1();

    assertEquals(List.of("A", "B", "C"), emitted());
    List<Long> timestamps = new ArrayList<>();
    for (Object o : harness.getOutput()) {
      timestamps.add(((StreamRecord<?>) o).getTimestamp());
    }
    assertEquals(List.of(1L, 2L, 3L), timestamps, "each result keeps its input's timestamp");
  }

  @Test
  void aWatermarkWaitsBehindTheResultsBeforeIt() throws Exception {
    open(2);
    harness.processElement1("a", 10);
    harness.processElement1("b", 20);
    assertTrue(started.await(1, TimeUnit.MINUTES));

    harness.processWatermark1(new Watermark(20));
    assertEquals(List.of(), emitted(), "the watermark may not overtake A and B");

    permits.release();
    awaitAndRunMail();
    assertEquals(List.of("A", "B", new Watermark(20)), emitted());
  }

  @Test
  void aControlMessageWaitsForTheBatchesInFlight() throws Exception {
    open(2);
    permits.release(2);
    harness.processElement1("a", 1);
    harness.processElement1("b", 2);

    harness.processElement2(BatchEncodeTest.labelSetVersion(2), 3);
    harness.processElement1("c", 4);
    harness.endInput1();

    assertEquals(List.of("A", "B", "C"), emitted());
    List<String> seen = new ArrayList<>();
    for (String e : EVENTS) {
      seen.add(e.replaceAll(" on .*", ""));
    }
    assertEquals(List.of("batch of 2", "control 2", "batch of 1"), seen);
  }

  @Test
  void aFailedForwardPassFailsTheOperatorWithItsOwnError() throws Exception {
    open(2);
    fail = true;
    permits.release();
    harness.processElement1("a", 1);
    harness.processElement1("b", 2);

    Exception e = assertThrows(Exception.class, () -> harness.prepareSnapshotPreBarrier(1));
    assertEquals("the forward pass failed", e.getMessage());
    assertTrue(e instanceof java.io.IOException, e.toString());
    assertEquals(List.of(), emitted());
  }
}
