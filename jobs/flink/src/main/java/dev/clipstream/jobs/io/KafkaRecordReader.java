package dev.clipstream.jobs.io;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Passes every Kafka record on as a {@link KafkaRecord}; it cannot fail, whatever the bytes. */
public final class KafkaRecordReader implements KafkaRecordDeserializationSchema<KafkaRecord> {
  private static final long serialVersionUID = 1L;

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<KafkaRecord> out) {
    byte[] value = record.value() == null ? new byte[0] : record.value();
    KafkaRecord read =
        new KafkaRecord(
            record.topic(), record.partition(), record.offset(), record.timestamp(), value);
    read.readAtMicros = StageTimes.nowMicros();
    out.collect(read);
  }

  @Override
  public TypeInformation<KafkaRecord> getProducedType() {
    return TypeInformation.of(KafkaRecord.class);
  }
}
