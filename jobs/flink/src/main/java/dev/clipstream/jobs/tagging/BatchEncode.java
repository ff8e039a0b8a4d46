package dev.clipstream.jobs.tagging;

import dev.clipstream.jobs.control.ControlMessage;
import dev.clipstream.jobs.io.StageTimes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.operators.YieldingOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Collects inputs (first input) into batches of up to {@code maxSize}, waiting at most {@code
 * maxWait} for a batch to fill, runs the batch function once per batch and emits the results in
 * input order with their timestamps. Control messages (second input, broadcast) reach the function
 * between batches: the waiting batch is run first, so no batch mixes two configurations.
 *
 * <p>With {@link BatchingOptions#inFlight} above 0 the forward pass runs on a thread of its own
 * ({@link ForwardThread}): the task thread goes on decoding, batching and writing results while it
 * runs, and blocks only when the waiting batch is full and that many batches are already in flight.
 * A batch whose max-wait runs out while the forward thread is busy is not cut short: it goes on
 * taking inputs and is run as soon as the forward thread is free (or when it is full), so a slow
 * forward pass is fed full batches instead of the few inputs that arrived within max-wait. Results
 * are emitted on the task thread (through its mailbox), in input order, batch after batch. The
 * function is never used from two threads at once: a control message, a watermark's ordering and
 * the checkpoint wait for the batches in flight first.
 *
 * <p>Nothing is held across a checkpoint barrier: the buffer is flushed and every batch in flight
 * finished and emitted before the barrier is forwarded ({@link #prepareSnapshotPreBarrier}), so the
 * buffer needs no state and a restore never loses or repeats an input. The function's control state
 * (its label set, its model update) is checkpointed and replayed on restore. Watermarks of the
 * first input flush and pass through behind the results before them; the control input's do not
 * hold event time back.
 *
 * <p>The size and wait follow {@link BatchPolicy}: fixed, or driven by a latency target. Each
 * output is stamped ({@link BatchFunction#stamp}) with when its input was taken in and when its
 * batch's forward ran. Its metrics are {@link BatchMetrics}'s. CPU time is counted: in the batch
 * function ({@code forwardCpuNanos}, on whichever thread ran it) and in all ({@code taskCpuNanos}:
 * the task thread, the chain's emission and sink included, plus the forward thread's passes when
 * there is one).
 */
public final class BatchEncode<IN, OUT> extends AbstractStreamOperator<OUT>
    implements TwoInputStreamOperator<IN, ControlMessage, OUT>,
        BoundedMultiInput,
        YieldingOperator<OUT> {
  private static final long serialVersionUID = 1L;

  private final BatchingOptions options;
  private final BatchFunction.Factory<IN, OUT> factory;

  private transient BatchFunction<IN, OUT> function;
  private transient List<StreamRecord<IN>> buffer;
  private transient ScheduledFuture<?> timer;

  /** The waiting batch's max-wait ran out while every in-flight slot was busy. */
  private transient boolean due;

  private transient BatchPolicy policy;
  private transient long[] enqueuedAt;
  private transient BatchMetrics metrics;
  private transient ListState<ControlMessage> controlState;
  private transient List<ControlMessage> restoredControl;
  private transient MailboxExecutor mailbox;
  private transient ForwardThread<IN, OUT> forward;

  /** Batches handed to the forward thread, and watermarks behind them, oldest first. */
  private transient InFlightQueue<IN, OUT> inFlight;

  public BatchEncode(BatchingOptions options, BatchFunction.Factory<IN, OUT> factory) {
    this.options = options;
    this.factory = factory;
  }

  @Override
  public void setMailboxExecutor(MailboxExecutor mailboxExecutor) {
    this.mailbox = mailboxExecutor;
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    controlState =
        context
            .getOperatorStateStore()
            .getUnionListState(
                new ListStateDescriptor<>("control", TypeInformation.of(ControlMessage.class)));
    restoredControl = new ArrayList<>();
    if (context.isRestored()) {
      // Every subtask saw the same broadcast; after a union restore keep the newest of each kind.
      restoredControl.addAll(ControlMessage.newestOfEachKind(controlState.get()));
    }
  }

  @Override
  public void open() throws Exception {
    super.open();
    buffer = new ArrayList<>(options.maxSize());
    enqueuedAt = new long[options.maxSize()];
    policy = new BatchPolicy(options);
    function = factory.create(getRuntimeContext());
    for (ControlMessage m : restoredControl) {
      function.control(m);
    }
    inFlight =
        new InFlightQueue<>(
            options.inFlight(),
            new InFlightQueue.Emitter<>() {
              @Override
              public void batch(Batch<IN> batch, Forward<OUT> done) {
                emit(batch, done);
              }

              @Override
              public void watermark(Watermark mark) throws Exception {
                BatchEncode.super.processWatermark(mark);
              }
            });
    if (options.overlapped()) {
      if (mailbox == null) {
        throw new IllegalStateException(
            "batch.in-flight > 0 needs the task's mailbox; this operator was not given one");
      }
      forward =
          new ForwardThread<>(
              function,
              "clipstream-forward-" + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
    }
    metrics = new BatchMetrics(getMetricGroup(), policy, forward == null ? null : forward.busy());
  }

  @Override
  public void processElement1(StreamRecord<IN> element) throws Exception {
    enqueuedAt[buffer.size()] = StageTimes.nowMicros();
    buffer.add(element);
    if (buffer.size() >= policy.size()) {
      flush();
    } else if (buffer.size() == 1) {
      long deadline =
          getProcessingTimeService().getCurrentProcessingTime() + policy.maxWait().toMillis();
      timer = getProcessingTimeService().registerTimer(deadline, time -> maxWaitPassed());
    }
  }

  @Override
  public void processElement2(StreamRecord<ControlMessage> element) throws Exception {
    flush();
    drain(); // the function is the forward thread's until its batches are done
    function.control(element.getValue());
  }

  @Override
  public void processWatermark1(Watermark mark) throws Exception {
    flush();
    if (inFlight.isEmpty()) {
      super.processWatermark(mark);
    } else {
      inFlight.addWatermark(mark); // behind the results before it
    }
  }

  @Override
  public void processWatermark2(Watermark mark) {
    // Control records carry no event time.
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    flush();
    drain();
    super.prepareSnapshotPreBarrier(checkpointId);
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    controlState.update(function.controlState());
  }

  @Override
  public void endInput(int inputId) throws Exception {
    if (inputId == 1) {
      flush();
      drain();
    }
  }

  @Override
  public void finish() throws Exception {
    flush();
    drain();
    super.finish();
  }

  /**
   * The oldest waiting input has waited max-wait: run the batch now if the forward pass can take
   * it, else keep filling it until a batch in flight is done ({@link #emitReady}) or it is full.
   */
  private void maxWaitPassed() throws Exception {
    timer = null;
    if (forward != null && inFlight.isFull()) {
      due = true;
    } else {
      flush();
    }
  }

  /**
   * Hands the waiting batch, if any, to the forward pass: on this thread, emitting its results at
   * once, or on the forward thread once fewer than {@code inFlight} batches are there.
   */
  private void flush() throws Exception {
    due = false;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    if (buffer.isEmpty()) {
      return;
    }
    Batch<IN> batch = Batch.of(buffer, enqueuedAt);
    buffer.clear();
    if (forward == null) {
      emit(batch, Forward.run(function, batch.inputs()));
      return;
    }
    inFlight.makeRoom();
    inFlight.addBatch(batch, forward.submit(batch.inputs(), this::emitReadyLater));
  }

  /** Waits for every batch in flight and emits it (and the watermarks behind it), in order. */
  private void drain() throws Exception {
    inFlight.drain();
  }

  /** Told by the forward thread that a batch is done: emit what is ready, on the task thread. */
  private void emitReadyLater() {
    try {
      mailbox.execute(this::emitReady, "emit the results of finished batches");
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // The task is going away; whatever is in flight is emitted by nobody, and replayed.
    }
  }

  private void emitReady() throws Exception {
    inFlight.emitDone();
    if (due) {
      flush(); // a slot is free now: the batch that outwaited max-wait goes, with all it gathered
    }
  }

  /** Emits a finished batch's results, stamped and in order, and counts its time. */
  private void emit(Batch<IN> batch, Forward<OUT> done) {
    List<OUT> results = done.results();
    if (results.size() != batch.size()) {
      throw new IllegalStateException(
          "batch function returned " + results.size() + " results for " + batch.size() + " inputs");
    }
    policy.forwardTook(batch.size(), done.nanos());
    metrics.forwardDone(batch.size(), done);
    for (int i = 0; i < results.size(); i++) {
      function.stamp(
          batch.inputs().get(i),
          results.get(i),
          batch.enqueuedAt(i),
          done.startMicros(),
          done.endMicros());
      output.collect(batch.record(results.get(i), i));
    }
    metrics.emitted(batch.size(), done);
  }

  @Override
  public void close() throws Exception {
    try {
      if (forward != null) {
        forward.close(); // waits for a forward pass still running, so the function is free
      }
      if (function != null) {
        function.close();
      }
    } finally {
      super.close();
    }
  }
}
