package dev.clipstream.jobs.io;

import dev.clipstream.schemas.FailureStage;
import dev.clipstream.schemas.ImageEvent;
import dev.clipstream.schemas.wire.DecodeResult;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Reads a Kafka record's value as a single-object {@link ImageEvent} and checks it against the
 * {@link EventLimits}; a payload that is not one goes to the dead letters with the wire error as
 * its reason (stage {@code DESERIALIZE}), an event over a limit with the limit it broke (stage
 * {@code VALIDATE}). The original record travels on with the event so that later stages can still
 * dead-letter it with its offset and bytes.
 */
public final class DecodeEvent extends ProcessFunction<KafkaRecord, SourcedEvent> {
  private static final long serialVersionUID = 1L;

  private final EventLimits limits;
  private transient SingleObjectCodec<ImageEvent> codec;
  private transient Counter in;
  private transient Counter decoded;
  private transient Counter rejected;
  private transient Counter invalid;

  /** With the default limits. */
  public DecodeEvent() {
    this(EventLimits.defaults());
  }

  public DecodeEvent(EventLimits limits) {
    this.limits = limits;
  }

  @Override
  public void open(OpenContext context) {
    codec = SingleObjectCodec.of(ImageEvent.class);
    in = getRuntimeContext().getMetricGroup().counter("eventsIn");
    decoded = getRuntimeContext().getMetricGroup().counter("eventsDecoded");
    rejected = getRuntimeContext().getMetricGroup().counter("eventsUndecodable");
    invalid = getRuntimeContext().getMetricGroup().counter("eventsInvalid");
  }

  @Override
  public void processElement(KafkaRecord record, Context ctx, Collector<SourcedEvent> out) {
    in.inc();
    DecodeResult<ImageEvent> result = codec.decode(record.value);
    if (result instanceof DecodeResult.Decoded<ImageEvent> ok) {
      decoded.inc();
      Optional<String> refusal = limits.refusal(ok.value());
      if (refusal.isPresent()) {
        invalid.inc();
        ctx.output(
            DeadLetters.TAG,
            DeadLetters.of(record, ok.value().getEventId(), FailureStage.VALIDATE, refusal.get()));
      } else {
        out.collect(new SourcedEvent(EventLimits.normalise(ok.value()), record));
      }
    } else if (result instanceof DecodeResult.Failed<ImageEvent> failed) {
      rejected.inc();
      ctx.output(
          DeadLetters.TAG,
          DeadLetters.of(record, null, FailureStage.DESERIALIZE, failed.error().toString()));
    }
  }
}
