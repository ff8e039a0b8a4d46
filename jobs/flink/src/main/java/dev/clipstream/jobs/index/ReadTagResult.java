package dev.clipstream.jobs.index;

import dev.clipstream.jobs.io.KafkaRecord;
import dev.clipstream.schemas.TagResult;
import dev.clipstream.schemas.format.AnyFormatDecoder;
import dev.clipstream.schemas.format.SchemaRegistrySettings;
import dev.clipstream.schemas.wire.DecodeResult;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the results topic's records in whichever output format they were written (told by their
 * first byte; Confluent-framed ones need the schema registry). They are the tagging job's own
 * output, so a record that does not decode is counted ({@code resultsUnreadable}) and logged with
 * its position, not indexed; a registry that cannot be reached fails the task instead, so that the
 * record is read again after the restart rather than lost to the index.
 */
public final class ReadTagResult extends ProcessFunction<KafkaRecord, TagResult> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ReadTagResult.class);

  private final SchemaRegistrySettings registry;
  private transient AnyFormatDecoder<TagResult> codec;
  private transient Counter unreadable;

  /** A reader of the formats that need no registry. */
  public ReadTagResult() {
    this(null);
  }

  /** A reader that asks {@code registry} (null: none) for Confluent schema ids. */
  public ReadTagResult(SchemaRegistrySettings registry) {
    this.registry = registry;
  }

  @Override
  public void open(OpenContext context) {
    codec = AnyFormatDecoder.of(TagResult.class, registry);
    unreadable = getRuntimeContext().getMetricGroup().counter("resultsUnreadable");
  }

  @Override
  public void processElement(KafkaRecord record, Context context, Collector<TagResult> out) {
    DecodeResult<TagResult> result = codec.decode(record.value);
    if (result instanceof DecodeResult.Decoded<TagResult> decoded) {
      out.collect(decoded.value());
    } else {
      unreadable.inc();
      LOG.warn(
          "result {} is not a readable TagResult: {}",
          record,
          ((DecodeResult.Failed<TagResult>) result).error());
    }
  }
}
