package dev.clipstream.jobs.tagging;

import dev.clipstream.jobs.control.ControlMessage;
import dev.clipstream.jobs.io.ThreadCpu;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
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
 * runs, and blocks only when that many batches are already in flight. Results are emitted on the
 * task thread (through its mailbox), in input order, batch after batch. The function is never used
 * from two threads at once: a control message, a watermark's ordering and the checkpoint wait for
 * the batches in flight first.
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
 * batch's forward ran. CPU time is counted: in the batch function ({@code forwardCpuNanos}, on
 * whichever thread ran it) and in all ({@link ThreadCpu} {@code taskCpuNanos}: the task thread, the
 * chain's emission and sink included, plus the forward thread's passes when there is one).
 */
public final class BatchEncode<IN, OUT> extends AbstractStreamOperator<OUT>
    implements TwoInputStreamOperator<IN, ControlMessage, OUT>,
        BoundedMultiInput,
        YieldingOperator<OUT> {
  private static final long serialVersionUID = 1L;

  /** Samples kept by the batch-size and latency histograms. */
  private static final int HISTOGRAM_WINDOW = 1024;

  private final BatchingOptions options;
  private final BatchFunction.Factory<IN, OUT> factory;

  private transient BatchFunction<IN, OUT> function;
  private transient List<StreamRecord<IN>> buffer;
  private transient ScheduledFuture<?> timer;
  private transient Histogram batchSizes;
  private transient Histogram encodeMillis;
  private transient Counter batches;
  private transient BatchPolicy policy;
  private transient long[] enqueuedAt;
  private transient Counter forwardCpuNanos;
  private transient ThreadCpu cpu;
  private transient long eventsEncoded;
  private transient ListState<ControlMessage> controlState;
  private transient List<ControlMessage> restoredControl;
  private transient MailboxExecutor mailbox;
  private transient ForwardThread<IN, OUT> forward;

  /** Batches handed to the forward thread, and watermarks behind them, oldest first. */
  private transient ArrayDeque<InFlight<IN, OUT>> inFlight;

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
      Map<ControlMessage.Kind, ControlMessage> newest = new HashMap<>();
      for (ControlMessage m : controlState.get()) {
        newest.merge(m.kind, m, (a, b) -> b.order > a.order ? b : a);
      }
      restoredControl.addAll(newest.values());
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
    batchSizes =
        getMetricGroup()
            .histogram("batchSize", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    encodeMillis =
        getMetricGroup()
            .histogram("encodeLatencyMs", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    batches = getMetricGroup().counter("batches");
    inFlight = new ArrayDeque<>();
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
    ForwardTime busy = forward == null ? null : forward.busy();
    getMetricGroup()
        .gauge("encoderDutyCycle", (Gauge<Double>) () -> busy == null ? Double.NaN : busy.ratio());
    getMetricGroup().gauge("batchSizeLimit", (Gauge<Integer>) policy::size);
    forwardCpuNanos = getMetricGroup().counter("forwardCpuNanos");
    getMetricGroup()
        .gauge(
            "forwardCpuNanosPerEvent",
            (Gauge<Long>)
                () -> eventsEncoded == 0 ? 0 : forwardCpuNanos.getCount() / eventsEncoded);
    cpu = new ThreadCpu(getMetricGroup());
  }

  @Override
  public void processElement1(StreamRecord<IN> element) throws Exception {
    enqueuedAt[buffer.size()] = dev.clipstream.jobs.io.StageTimes.nowMicros();
    buffer.add(element);
    if (buffer.size() >= policy.size()) {
      flush();
    } else if (buffer.size() == 1) {
      long deadline =
          getProcessingTimeService().getCurrentProcessingTime() + policy.maxWait().toMillis();
      timer = getProcessingTimeService().registerTimer(deadline, time -> flush());
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
      inFlight.add(InFlight.watermark(mark)); // behind the results before it
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
   * Hands the waiting batch, if any, to the forward pass: on this thread, emitting its results at
   * once, or on the forward thread once fewer than {@code inFlight} batches are there.
   */
  private void flush() throws Exception {
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
    while (batchesInFlight() >= options.inFlight()) {
      emitHead();
    }
    inFlight.add(InFlight.batch(batch, forward.submit(batch.inputs(), this::emitReadyLater)));
  }

  private int batchesInFlight() {
    int n = 0;
    for (InFlight<IN, OUT> f : inFlight) {
      n += f.isBatch() ? 1 : 0;
    }
    return n;
  }

  /** Waits for every batch in flight and emits it (and the watermarks behind it), in order. */
  private void drain() throws Exception {
    while (!inFlight.isEmpty()) {
      emitHead();
    }
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
    while (!inFlight.isEmpty() && inFlight.peek().isDone()) {
      emitHead();
    }
  }

  /** Emits the oldest entry in flight, waiting for its forward pass if it is a batch. */
  private void emitHead() throws Exception {
    InFlight<IN, OUT> head = inFlight.poll();
    if (head.isBatch()) {
      emit(head.batch(), head.await());
    } else {
      super.processWatermark(head.watermark());
    }
  }

  /** Emits a finished batch's results, stamped and in order, and counts its time. */
  private void emit(Batch<IN> batch, Forward<OUT> done) {
    List<OUT> results = done.results();
    if (results.size() != batch.size()) {
      throw new IllegalStateException(
          "batch function returned " + results.size() + " results for " + batch.size() + " inputs");
    }
    encodeMillis.update(done.nanos() / 1_000_000);
    policy.forwardTook(batch.size(), done.nanos());
    if (done.cpuNanos() >= 0) {
      forwardCpuNanos.inc(done.cpuNanos());
    }
    batchSizes.update(results.size());
    batches.inc();
    for (int i = 0; i < results.size(); i++) {
      function.stamp(
          batch.inputs().get(i),
          results.get(i),
          batch.enqueuedAt(i),
          done.startMicros(),
          done.endMicros());
      output.collect(batch.record(results.get(i), i));
    }
    eventsEncoded += batch.size();
    // after the emission, so the chain's serialisation and sink count; the forward thread's
    // passes are added, so the total is the operator's whatever thread ran the forward
    cpu.events(batch.size(), forward != null && done.cpuNanos() > 0 ? done.cpuNanos() : 0);
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
