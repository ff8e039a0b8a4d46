package dev.clipstream.jobs.tagging;

import dev.clipstream.jobs.control.ControlPolicy;
import dev.clipstream.jobs.io.CapDeadLetterPayload;
import dev.clipstream.model.zeroshot.LabelSet;
import java.io.Serializable;

/**
 * What the topology needs to know, fixed when the job is built. {@code weights} is {@code
 * model.weights} (read on the TaskManagers); an {@code imageSize} of 0 is the weights' own,
 * likewise read there.
 */
public record TaggingSettings(
    String weights,
    int imageSize,
    BatchingOptions batching,
    LabelSet labelSet,
    int topK,
    String modelStore,
    ControlPolicy control,
    int deadLetterMaxPayloadBytes,
    String device,
    String precision,
    ResultOptions results,
    ExampleOptions examples)
    implements Serializable {

  /** Settings with the default {@link ExampleOptions}. */
  public TaggingSettings(
      String weights,
      int imageSize,
      BatchingOptions batching,
      LabelSet labelSet,
      int topK,
      String modelStore,
      ControlPolicy control,
      int deadLetterMaxPayloadBytes,
      String device,
      String precision,
      ResultOptions results) {
    this(
        weights,
        imageSize,
        batching,
        labelSet,
        topK,
        modelStore,
        control,
        deadLetterMaxPayloadBytes,
        device,
        precision,
        results,
        ExampleOptions.defaults());
  }

  /**
   * Settings with the default control policy (signatures required), dead-letter cap, device ({@code
   * auto}) and precision (float32).
   */
  public TaggingSettings(
      String weights,
      int imageSize,
      BatchingOptions batching,
      LabelSet labelSet,
      int topK,
      String modelStore) {
    this(
        weights,
        imageSize,
        batching,
        labelSet,
        topK,
        modelStore,
        ControlPolicy.defaults(),
        CapDeadLetterPayload.DEFAULT_MAX_PAYLOAD_BYTES,
        TaggingOptions.MODEL_DEVICE.defaultValue(),
        TaggingOptions.MODEL_PRECISION.defaultValue(),
        ResultOptions.defaults());
  }

  /** These settings accepting control messages under {@code policy}. */
  public TaggingSettings withControl(ControlPolicy policy) {
    return new TaggingSettings(
        weights,
        imageSize,
        batching,
        labelSet,
        topK,
        modelStore,
        policy,
        deadLetterMaxPayloadBytes,
        device,
        precision,
        results,
        examples);
  }

  /** These settings judging results (unknown, near-duplicates) by {@code options}. */
  public TaggingSettings withResults(ResultOptions options) {
    return new TaggingSettings(
        weights,
        imageSize,
        batching,
        labelSet,
        topK,
        modelStore,
        control,
        deadLetterMaxPayloadBytes,
        device,
        precision,
        options,
        examples);
  }

  /** These settings learning labels from examples by {@code options}. */
  public TaggingSettings withExamples(ExampleOptions options) {
    return new TaggingSettings(
        weights,
        imageSize,
        batching,
        labelSet,
        topK,
        modelStore,
        control,
        deadLetterMaxPayloadBytes,
        device,
        precision,
        results,
        options);
  }
}
