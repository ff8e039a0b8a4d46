package dev.clipstream.jobs.tagging;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.clipstream.jobs.control.ControlMessage;
import dev.clipstream.jobs.control.ModelStore;
import dev.clipstream.jobs.control.TaughtPrototypes;
import dev.clipstream.jobs.io.DeadLetters;
import dev.clipstream.jobs.io.PreparedImage;
import dev.clipstream.model.ClipConfig;
import dev.clipstream.model.fewshot.ClassPrototypes;
import dev.clipstream.schemas.FailureStage;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.CoProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeds each labelled example (first input) with the served model and adds it to its label's
 * prototype (a sum and a count, at most {@code examples.max-per-label} examples' worth, at most
 * {@code examples.max-labels} labels), then sends the prototypes on to be broadcast to every
 * encoder. Runs at parallelism 1, so every example reaches one set of prototypes; they are in the
 * checkpoint and come back after a restore.
 *
 * <p>The second input is the checked control stream: when a model update changes the served
 * weights, the prototypes made with the old model's embeddings are dropped (logged, counted in
 * {@code examplesDropped}), because the examples' images are not kept to be embedded again; the
 * encoders use prototypes only under the model that made them. An example without a label, with a
 * label over {@link ExampleOptions#MAX_LABEL_CHARS} or of one label too many is a dead letter
 * (stage {@code VALIDATE}); every other one is counted in {@code examplesTaught}.
 */
final class TeachByExamples extends CoProcessFunction<PreparedImage, ControlMessage, ControlMessage>
    implements CheckpointedFunction {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(TeachByExamples.class);

  private final TaggingSettings settings;

  private transient ListState<ControlMessage> state;
  private transient ControlMessage modelMessage;
  private transient ClassPrototypes prototypes;
  private transient long sequence;
  private transient ServingModel.Lease model;
  private transient ServingModel.Placement placement;
  private transient Counter taught;
  private transient Counter dropped;

  TeachByExamples(TaggingSettings settings) {
    this.settings = settings;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    state =
        context
            .getOperatorStateStore()
            .getListState(
                new ListStateDescriptor<>(
                    "taught-examples", TypeInformation.of(ControlMessage.class)));
    for (ControlMessage m : state.get()) {
      if (m.kind == ControlMessage.Kind.MODEL_UPDATE) {
        modelMessage = m;
      } else if (m.kind == ControlMessage.Kind.PROTOTYPES) {
        prototypes = m.taught().prototypes();
        sequence = m.order;
      }
    }
  }

  @Override
  public void open(OpenContext context) throws Exception {
    placement = ServingModel.Placement.of(settings.device(), settings.precision(), 0);
    model = ServingModel.acquire(settings.weights(), placement);
    if (modelMessage != null) {
      ServingModel.Lease configured = model;
      model =
          ServingModel.acquire(
              new ModelStore(settings.modelStore()),
              modelMessage.modelUpdate(),
              configured.serving().model().config(),
              placement);
      configured.close();
    }
    if (prototypes == null) {
      prototypes = new ClassPrototypes(dimension());
    }
    taught = getRuntimeContext().getMetricGroup().counter("examplesTaught");
    dropped = getRuntimeContext().getMetricGroup().counter("examplesDropped");
    getRuntimeContext()
        .getMetricGroup()
        .gauge("examplesLabels", (Gauge<Integer>) () -> prototypes.labels().size());
  }

  @Override
  public void processElement1(PreparedImage example, Context ctx, Collector<ControlMessage> out)
      throws Exception {
    String refusal = refusal(example.label);
    if (refusal != null) {
      ctx.output(
          DeadLetters.TAG,
          DeadLetters.of(
              example.origin, example.payload, example.eventId, FailureStage.VALIDATE, refusal));
      return;
    }
    prototypes.addBounded(example.label, embed(example), settings.examples().maxPerLabel());
    taught.inc();
    sequence++;
    out.collect(ControlMessage.of(current(), sequence));
  }

  private String refusal(String label) {
    if (label == null || label.isBlank()) {
      return "an example needs a label (the ImageEvent's label field)";
    }
    if (label.length() > ExampleOptions.MAX_LABEL_CHARS) {
      return "an example's label has "
          + label.length()
          + " characters, over the "
          + ExampleOptions.MAX_LABEL_CHARS
          + " allowed";
    }
    if (prototypes.count(label) == 0
        && prototypes.labels().size() >= settings.examples().maxLabels()) {
      return "examples already teach "
          + prototypes.labels().size()
          + " labels (examples.max-labels); '"
          + label
          + "' would be one more";
    }
    return null;
  }

  @Override
  public void processElement2(ControlMessage message, Context ctx, Collector<ControlMessage> out)
      throws Exception {
    if (message.kind != ControlMessage.Kind.MODEL_UPDATE
        || TaughtPrototypes.modelKeyOf(message).equals(TaughtPrototypes.modelKeyOf(modelMessage))) {
      return;
    }
    ServingModel.Lease next;
    try {
      // Loaded on this thread: examples are few and this operator serves nothing else; the lease
      // is shared with an encoder slot of this TaskManager that loads the same weights.
      ClipConfig served = model.serving().model().config();
      next =
          ServingModel.acquire(
              new ModelStore(settings.modelStore()), message.modelUpdate(), served, placement);
    } catch (Exception e) {
      LOG.warn(
          "model update {} not loaded for examples, keeping the prototypes of {}: {}",
          message.modelUpdate().getModelVersion(),
          model.serving().version(),
          e.getMessage());
      return;
    }
    model.close();
    model = next;
    modelMessage = message;
    int lost = 0;
    for (String label : prototypes.labels()) {
      lost += prototypes.count(label);
    }
    if (lost > 0) {
      dropped.inc(lost);
      LOG.warn(
          "model {} now serves: dropped {} examples of {} labels embedded by the previous model;"
              + " publish them again to teach these labels under it",
          model.serving().version(),
          lost,
          prototypes.labels().size());
    }
    prototypes = new ClassPrototypes(dimension());
    sequence++;
    out.collect(ControlMessage.of(current(), sequence));
  }

  private TaughtPrototypes current() {
    return new TaughtPrototypes(TaughtPrototypes.modelKeyOf(modelMessage), prototypes);
  }

  private float[] embed(PreparedImage example) {
    int side = example.size;
    try (NDManager scope = model.serving().model().newBatchManager()) {
      NDArray features =
          model
              .serving()
              .model()
              .encodeImage(scope.create(example.normalised(), new Shape(1, 3, side, side)));
      return features.div(features.norm(new int[] {1}, true)).toFloatArray();
    }
  }

  private int dimension() {
    return model.serving().model().config().embedDim();
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    List<ControlMessage> snapshot = new ArrayList<>(2);
    if (modelMessage != null) {
      snapshot.add(modelMessage);
    }
    snapshot.add(ControlMessage.of(current(), sequence));
    state.update(snapshot);
  }

  @Override
  public void close() throws Exception {
    if (model != null) {
      model.close();
      model = null;
    }
  }
}
