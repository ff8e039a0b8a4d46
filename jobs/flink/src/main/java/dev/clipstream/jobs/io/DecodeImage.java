package dev.clipstream.jobs.io;

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
 * Decodes and preprocesses an event's image into the encoder's input, with the same code for the
 * tagging and the training job; an image that cannot be used becomes a dead letter saying why.
 */
public final class DecodeImage extends ProcessFunction<SourcedEvent, PreparedImage> {
  private static final long serialVersionUID = 1L;

  private final PreprocessOptions options;
  private final String sizeFromWeights;
  private int thumbnailSize;
  private transient ImagePreprocessor preprocessor;
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

  @Override
  public void open(OpenContext context) throws java.io.IOException {
    preprocessor =
        new ImagePreprocessor(
            options != null
                ? options
                : PreprocessOptions.defaults(
                    dev.clipstream.jobs.control.StartWeights.imageSize(sizeFromWeights)));
    rejected = getRuntimeContext().getMetricGroup().counter("imagesRejected");
    cpu = new ThreadCpu(getRuntimeContext().getMetricGroup());
  }

  @Override
  public void processElement(SourcedEvent in, Context ctx, Collector<PreparedImage> out) {
    long started = StageTimes.nowMicros();
    ImageEvent event = in.event;
    ImagePreprocessor.Outcome outcome = preprocessor.preprocess(bytes(event.getImage()));
    if (outcome instanceof ImagePreprocessor.Pixels pixels) {
      PreparedImage prepared =
          new PreparedImage(
              event.getEventId(),
              event.getEventTime().toEpochMilli(),
              event.getCaption(),
              pixels.size(),
              pixels.chw(),
              in.source);
      prepared.producer = event.getSource().toString();
      prepared.label = event.getLabel() == null ? null : event.getLabel().toString();
      if (thumbnailSize > 0) {
        prepared.thumbnail =
            Thumbnail.jpeg(pixels.chw(), pixels.size(), Math.min(thumbnailSize, pixels.size()));
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

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer b = buffer.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
