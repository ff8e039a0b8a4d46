package dev.clipstream.jobs.io;

import dev.clipstream.model.preprocess.DecodeScratch;
import dev.clipstream.model.preprocess.ImagePreprocessor;
import dev.clipstream.model.preprocess.PreprocessOptions;
import dev.clipstream.schemas.FailureStage;
import dev.clipstream.schemas.ImageEvent;
import java.nio.ByteBuffer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes an event's image and resizes and centre-crops it to the encoder's input size, with the
 * same code for the tagging and the training job; what it hands on is the 8-bit crop ({@link
 * PreparedImage}), normalised to floats where the batch is made. An image that cannot be used
 * becomes a dead letter saying why.
 */
public final class DecodeImage extends ProcessFunction<SourcedEvent, PreparedImage> {
  private static final long serialVersionUID = 1L;

  private final PreprocessOptions options;
  private final String sizeFromWeights;
  private int thumbnailSize;
  private boolean keepPayloads;
  private transient ImagePreprocessor preprocessor;
  private transient DecodeScratch scratch;
  private transient Counter rejected;
  private transient ThreadCpu cpu;

  public DecodeImage(PreprocessOptions options) {
    this.options = options;
    this.sizeFromWeights = null;
  }

  private DecodeImage(String weights) {
    this.options = null;
    this.sizeFromWeights = weights;
  }

  /**
   * Preprocesses to the image size of {@code weights} ({@code model.weights}: empty for the default
   * model, else a path or file system URI), read when the operator opens on its TaskManager.
   */
  public static DecodeImage sizedFor(String weights) {
    return new DecodeImage(weights);
  }

  /** Preprocesses to {@code imageSize} when it is positive, else to the size of {@code weights}. */
  public static DecodeImage of(int imageSize, String weights) {
    return imageSize > 0
        ? new DecodeImage(PreprocessOptions.defaults(imageSize))
        : sizedFor(weights);
  }

  /**
   * This operator also making a {@code side}-pixel JPEG of each crop ({@link Thumbnail}); 0: none.
   */
  public DecodeImage withThumbnails(int side) {
    if (side < 0) {
      throw new IllegalArgumentException("a thumbnail size must be >= 0: " + side);
    }
    this.thumbnailSize = side;
    return this;
  }

  /**
   * This operator also handing on each record's value ({@link PreparedImage#payload}), for an
   * operator after it that may still dead-letter the event whole; off by default, so the hop into
   * the encoder carries the crop and not the record.
   */
  public DecodeImage keepingPayloads() {
    this.keepPayloads = true;
    return this;
  }

  @Override
  public void open(OpenContext context) throws java.io.IOException {
    preprocessor =
        new ImagePreprocessor(
            options != null
                ? options
                : PreprocessOptions.defaults(
                    dev.clipstream.jobs.control.StartWeights.imageSize(sizeFromWeights)));
    scratch = new DecodeScratch();
    rejected = getRuntimeContext().getMetricGroup().counter("imagesRejected");
    cpu = new ThreadCpu(getRuntimeContext().getMetricGroup());
  }

  @Override
  public void processElement(SourcedEvent in, Context ctx, Collector<PreparedImage> out) {
    long started = StageTimes.nowMicros();
    ImageEvent event = in.event;
    // The 8-bit crop, not the floats: the encoder normalises as it assembles the batch.
    ImagePreprocessor.Outcome outcome = preprocessor.crop(bytes(event.getImage()), scratch);
    if (outcome instanceof ImagePreprocessor.Crop crop) {
      PreparedImage prepared =
          new PreparedImage(
              event.getEventId(),
              event.getEventTime().toEpochMilli(),
              event.getCaption(),
              crop.size(),
              crop.rgb(),
              RecordOrigin.of(in.source));
      prepared.producer = event.getSource().toString();
      prepared.label = event.getLabel() == null ? null : event.getLabel().toString();
      if (keepPayloads) {
        prepared.payload = in.source.value;
      }
      if (thumbnailSize > 0) {
        prepared.thumbnail =
            Thumbnail.jpeg(crop.rgb(), crop.size(), Math.min(thumbnailSize, crop.size()), scratch);
      }
      // A source other than KafkaRecordReader stamps no read time: decoding starts the clock.
      long read =
          in.source != null && in.source.readAtMicros > 0 ? in.source.readAtMicros : started;
      prepared.times = StageTimes.readAt(read);
      prepared.times.decodedAt = StageTimes.nowMicros();
      out.collect(prepared);
    } else if (outcome instanceof ImagePreprocessor.Refused refused) {
      rejected.inc();
      ctx.output(
          DeadLetters.TAG,
          DeadLetters.of(
              in.source,
              event.getEventId(),
              FailureStage.DECODE_IMAGE,
              refused.rejection().reason() + ": " + refused.rejection().message()));
    }
    cpu.events(1); // this thread's CPU since the last event: source, decode, the hop out
  }

  /** Frees the decoding's native buffers with the operator (a cancelled task included). */
  @Override
  public void close() throws Exception {
    if (scratch != null) {
      scratch.close();
    }
    super.close();
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer b = buffer.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
