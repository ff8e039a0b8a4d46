package dev.clipstream.jobs.tagging;

import dev.clipstream.jobs.control.ControlMessage;
import dev.clipstream.jobs.io.DeadLetters;
import dev.clipstream.jobs.io.DecodeEvent;
import dev.clipstream.jobs.io.DecodeImage;
import dev.clipstream.jobs.io.KafkaRecord;
import dev.clipstream.jobs.io.PreparedImage;
import dev.clipstream.jobs.io.SourcedEvent;
import dev.clipstream.schemas.DeadLetter;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The examples' way through the tagging job, all at parallelism 1 (examples are few, and one
 * operator must see them all): decoded and preprocessed as the images are, then taught ({@link
 * TeachByExamples}); what comes out is the prototypes, to be broadcast to the encoders beside the
 * control messages, and the examples that could not be used, as dead letters.
 */
record TeachingPath(DataStream<ControlMessage> prototypes, List<DataStream<DeadLetter>> rejects) {

  static TeachingPath wire(
      DataStream<KafkaRecord> examples,
      DataStream<ControlMessage> control,
      TaggingSettings settings) {
    SingleOutputStreamOperator<SourcedEvent> events =
        examples
            .process(new DecodeEvent())
            .setParallelism(1)
            .name("decode-example-event")
            .uid("decode-example-event");
    // Teaching can still refuse an example (for its label), and examples are few: they carry their
    // record's value on, so that dead letter holds the whole record as every earlier one does.
    SingleOutputStreamOperator<PreparedImage> images =
        events
            .process(DecodeImage.of(settings.imageSize(), settings.weights()).keepingPayloads())
            .setParallelism(1)
            .name("decode-example-image")
            .uid("decode-example-image");
    SingleOutputStreamOperator<ControlMessage> taught =
        images
            .connect(control)
            .process(new TeachByExamples(settings))
            .returns(TypeInformation.of(ControlMessage.class))
            .setParallelism(1)
            .name("teach-by-examples")
            .uid("teach-by-examples");
    return new TeachingPath(
        taught,
        List.of(
            events.getSideOutput(DeadLetters.TAG),
            images.getSideOutput(DeadLetters.TAG),
            taught.getSideOutput(DeadLetters.TAG)));
  }
}
