package dev.clipstream.jobs.index;

import dev.clipstream.jobs.io.KafkaRecord;
import dev.clipstream.schemas.TagResult;
import dev.clipstream.schemas.wire.DecodeResult;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the results topic's records. They are the tagging job's own output, so a record that does
 * not decode is counted ({@code resultsUnreadable}) and logged with its position, not indexed.
 */
public final class ReadTagResult extends ProcessFunction<KafkaRecord, TagResult> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ReadTagResult.class);

  private transient SingleObjectCodec<TagResult> codec;
  private transient Counter unreadable;

  @Override
  public void open(OpenContext context) {
    codec = SingleObjectCodec.of(TagResult.class);
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
