package dev.clipstream.jobs.control;

import dev.clipstream.jobs.io.DeadLetters;
import dev.clipstream.jobs.io.KafkaRecord;
import dev.clipstream.schemas.FailureStage;
import dev.clipstream.schemas.LabelSetDefinition;
import dev.clipstream.schemas.ModelUpdate;
import dev.clipstream.schemas.wire.DecodeResult;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.util.HexFormat;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Reads the control topics' records: a label-set definition or a model update that decodes and
 * makes sense goes on to the encoders; anything else becomes a dead letter (stage {@code LABEL_SET}
 * or {@code MODEL_UPDATE}) and changes nothing. Compaction tombstones (no value) are skipped.
 */
public final class ReadControl extends ProcessFunction<KafkaRecord, ControlMessage> {
  private static final long serialVersionUID = 1L;

  private final String labelSetsTopic;
  private final String modelUpdatesTopic;

  private transient SingleObjectCodec<LabelSetDefinition> labelSets;
  private transient SingleObjectCodec<ModelUpdate> modelUpdates;
  private transient Counter accepted;
  private transient Counter rejected;

  public ReadControl(String labelSetsTopic, String modelUpdatesTopic) {
    this.labelSetsTopic = labelSetsTopic;
    this.modelUpdatesTopic = modelUpdatesTopic;
  }

  @Override
  public void open(OpenContext context) {
    labelSets = SingleObjectCodec.of(LabelSetDefinition.class);
    modelUpdates = SingleObjectCodec.of(ModelUpdate.class);
    accepted = getRuntimeContext().getMetricGroup().counter("controlAccepted");
    rejected = getRuntimeContext().getMetricGroup().counter("controlRejected");
  }

  @Override
  public void processElement(KafkaRecord record, Context ctx, Collector<ControlMessage> out) {
    if (record.value == null || record.value.length == 0) {
      return;
    }
    if (record.topic.equals(labelSetsTopic)) {
      DecodeResult<LabelSetDefinition> result = labelSets.decode(record.value);
      if (result instanceof DecodeResult.Failed<LabelSetDefinition> failed) {
        reject(ctx, record, null, FailureStage.LABEL_SET, failed.error().toString());
        return;
      }
      LabelSetDefinition definition = ((DecodeResult.Decoded<LabelSetDefinition>) result).value();
      try {
        LabelSetDefinitions.toLabelSet(definition);
      } catch (IllegalArgumentException e) {
        reject(
            ctx, record, definition.getName().toString(), FailureStage.LABEL_SET, e.getMessage());
        return;
      }
      accepted.inc();
      out.collect(ControlMessage.of(definition));
    } else if (record.topic.equals(modelUpdatesTopic)) {
      DecodeResult<ModelUpdate> result = modelUpdates.decode(record.value);
      if (result instanceof DecodeResult.Failed<ModelUpdate> failed) {
        reject(ctx, record, null, FailureStage.MODEL_UPDATE, failed.error().toString());
        return;
      }
      ModelUpdate update = ((DecodeResult.Decoded<ModelUpdate>) result).value();
      String problem = problemWith(update);
      if (problem != null) {
        reject(
            ctx, record, update.getModelVersion().toString(), FailureStage.MODEL_UPDATE, problem);
        return;
      }
      accepted.inc();
      out.collect(ControlMessage.of(update));
    } else {
      reject(
          ctx,
          record,
          null,
          FailureStage.UNKNOWN,
          "topic " + record.topic + " is not a control topic of this job");
    }
  }

  /** Why an update cannot be applied, judged from the record alone; null when it may be. */
  static String problemWith(ModelUpdate update) {
    if (update.getModelVersion().toString().isBlank()) {
      return "model update has no model version";
    }
    if (update.getCheckpointUri().toString().isBlank()) {
      return "model update " + update.getModelVersion() + " names no checkpoint";
    }
    String sha = update.getWeightsSha256().toString();
    if (sha.length() != 64 || !sha.chars().allMatch(HexFormat::isHexDigit)) {
      return "model update "
          + update.getModelVersion()
          + " has no valid SHA-256 (64 hex digits expected)";
    }
    return null;
  }

  private void reject(
      Context ctx, KafkaRecord record, String id, FailureStage stage, String reason) {
    rejected.inc();
    ctx.output(DeadLetters.TAG, DeadLetters.of(record, id, stage, reason));
  }
}
