package dev.clipstream.jobs.tagging;

import dev.clipstream.jobs.control.ControlMessage;
import dev.clipstream.jobs.io.StageTimes;
import dev.clipstream.jobs.io.ThreadCpu;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
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
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Collects inputs (first input) into batches of up to {@code maxSize}, waiting at most {@code
 * maxWait} for a batch to fill, runs the batch function once per batch and emits the results in
 * input order with their timestamps. Control messages (second input, broadcast) reach the function
 * between batches: the waiting batch is run first, so no batch mixes two configurations.
 *
 * <p>Nothing is held across a checkpoint barrier: the buffer is flushed before the barrier is
 * forwarded ({@link #prepareSnapshotPreBarrier}), so the buffer needs no state and a restore never
 * loses or repeats an input. The function's control state (its label set, its model update) is
 * checkpointed and replayed on restore. Watermarks of the first input flush and pass through; the
 * control input's do not hold event time back.
 *
 * <p>The size and wait follow {@link BatchPolicy}: fixed, or driven by a latency target. Each
 * output is stamped ({@link BatchFunction#stamp}) with when its input was taken in and when its
 * batch's forward ran. The task thread's CPU time is counted: in the batch function ({@code
 * forwardCpuNanos}) and in all ({@link ThreadCpu}: the chain's emission and sink included).
 */
public final class BatchEncode<IN, OUT> extends AbstractStreamOperator<OUT>
    implements TwoInputStreamOperator<IN, ControlMessage, OUT>, BoundedMultiInput {
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

  public BatchEncode(BatchingOptions options, BatchFunction.Factory<IN, OUT> factory) {
    this.options = options;
    this.factory = factory;
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
    enqueuedAt[buffer.size()] = StageTimes.nowMicros();
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
    function.control(element.getValue());
  }

  @Override
  public void processWatermark1(Watermark mark) throws Exception {
    flush();
    super.processWatermark(mark);
  }

  @Override
  public void processWatermark2(Watermark mark) {
    // Control records carry no event time.
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    flush();
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
    }
  }

  @Override
  public void finish() throws Exception {
    flush();
    super.finish();
  }

  /** Runs and emits the waiting batch, if any. */
  private void flush() throws Exception {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    if (buffer.isEmpty()) {
      return;
    }
    List<IN> inputs = new ArrayList<>(buffer.size());
    for (StreamRecord<IN> r : buffer) {
      inputs.add(r.getValue());
    }
    long forwardStart = StageTimes.nowMicros();
    long cpuStart = ThreadCpu.now();
    long start = System.nanoTime();
    List<OUT> results = function.apply(inputs);
    long took = System.nanoTime() - start;
    long cpuEnd = ThreadCpu.now();
    long forwardEnd = StageTimes.nowMicros();
    encodeMillis.update(took / 1_000_000);
    policy.forwardTook(inputs.size(), took);
    if (cpuStart >= 0) {
      forwardCpuNanos.inc(cpuEnd - cpuStart);
    }
    if (results.size() != inputs.size()) {
      throw new IllegalStateException(
          "batch function returned "
              + results.size()
              + " results for "
              + inputs.size()
              + " inputs");
    }
    batchSizes.update(inputs.size());
    batches.inc();
    for (int i = 0; i < results.size(); i++) {
      StreamRecord<IN> in = buffer.get(i);
      function.stamp(in.getValue(), results.get(i), enqueuedAt[i], forwardStart, forwardEnd);
      output.collect(
          in.hasTimestamp()
              ? new StreamRecord<>(results.get(i), in.getTimestamp())
              : new StreamRecord<>(results.get(i)));
    }
    buffer.clear();
    eventsEncoded += inputs.size();
    cpu.events(inputs.size()); // after the emission: the chain's serialisation and sink count
  }

  @Override
  public void close() throws Exception {
    try {
      if (function != null) {
        function.close();
      }
    } finally {
      super.close();
    }
  }
}
