package dev.clipstream.jobs.control;

import dev.clipstream.jobs.io.DeadLetters;
import dev.clipstream.jobs.io.KafkaRecord;
import dev.clipstream.schemas.FailureStage;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Reads the control topics' records: a label-set definition or a model update that passes its
 * {@link ControlCheck} (size, decoding, limits, signature, freshness) goes on to the encoders;
 * anything else becomes a dead letter (stage {@code LABEL_SET} or {@code MODEL_UPDATE}), is counted
 * ({@code controlRejected} and one counter per refusal, e.g. {@code controlRefusedForged}) and
 * changes nothing. Compaction tombstones (no value) are skipped. The newest accepted version of
 * each is checkpointed, so a replay is refused after a restore too.
 */
public final class ReadControl extends ProcessFunction<KafkaRecord, ControlMessage>
    implements CheckpointedFunction {
  private static final long serialVersionUID = 1L;

  private final String labelSetsTopic;
  private final String modelUpdatesTopic;
  private final ControlPolicy policy;

  private transient ControlCheck check;
  private transient ListState<Tuple2<String, Long>> newestState;
  private transient Counter accepted;
  private transient Counter rejected;
  private transient Map<ControlCheck.Refusal, Counter> refusals;

  public ReadControl(String labelSetsTopic, String modelUpdatesTopic, ControlPolicy policy) {
    this.labelSetsTopic = labelSetsTopic;
    this.modelUpdatesTopic = modelUpdatesTopic;
    this.policy = policy;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    check = new ControlCheck(policy);
    newestState =
        context
            .getOperatorStateStore()
            .getUnionListState(
                new ListStateDescriptor<>(
                    "newest-control", TypeInformation.of(new TypeHint<Tuple2<String, Long>>() {})));
    if (context.isRestored()) {
      for (Tuple2<String, Long> entry : newestState.get()) {
        check.remember(entry.f0, entry.f1);
      }
    }
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    newestState.clear();
    for (Map.Entry<String, Long> e : check.newest().entrySet()) {
      newestState.add(Tuple2.of(e.getKey(), e.getValue()));
    }
  }

  @Override
  public void open(OpenContext context) {
    accepted = getRuntimeContext().getMetricGroup().counter("controlAccepted");
    rejected = getRuntimeContext().getMetricGroup().counter("controlRejected");
    refusals = new EnumMap<>(ControlCheck.Refusal.class);
    for (ControlCheck.Refusal r : ControlCheck.Refusal.values()) {
      refusals.put(r, getRuntimeContext().getMetricGroup().counter(metricName(r)));
    }
  }

  /** The counter of one refusal, e.g. {@code controlRefusedUntrustedKey}. */
  public static String metricName(ControlCheck.Refusal refusal) {
    StringBuilder name = new StringBuilder("controlRefused");
    for (String part : refusal.name().toLowerCase(java.util.Locale.ROOT).split("_")) {
      name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return name.toString();
  }

  @Override
  public void processElement(KafkaRecord record, Context ctx, Collector<ControlMessage> out) {
    if (record.value == null || record.value.length == 0) {
      return;
    }
    ControlCheck.Outcome outcome;
    if (record.topic.equals(labelSetsTopic)) {
      outcome = check.labelSet(record.value);
    } else if (record.topic.equals(modelUpdatesTopic)) {
      outcome = check.modelUpdate(record.value);
    } else {
      rejected.inc();
      ctx.output(
          DeadLetters.TAG,
          DeadLetters.of(
              record,
              null,
              FailureStage.UNKNOWN,
              "topic " + record.topic + " is not a control topic of this job"));
      return;
    }
    if (outcome instanceof ControlCheck.Accepted ok) {
      accepted.inc();
      out.collect(ok.message());
    } else if (outcome instanceof ControlCheck.Refused no) {
      rejected.inc();
      refusals.get(no.refusal()).inc();
      ctx.output(DeadLetters.TAG, DeadLetters.of(record, no.id(), no.stage(), no.reason()));
    }
  }
}
