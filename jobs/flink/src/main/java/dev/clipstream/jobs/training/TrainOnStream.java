package dev.clipstream.jobs.training;

import ai.djl.ndarray.types.Shape;
import dev.clipstream.jobs.control.ModelStore;
import dev.clipstream.jobs.control.StartWeights;
import dev.clipstream.jobs.io.PreparedImage;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.DefaultModel;
import dev.clipstream.model.LoadOptions;
import dev.clipstream.model.WeightsInfo;
import dev.clipstream.model.tokenizer.ClipTokenizer;
import dev.clipstream.model.training.AdamW;
import dev.clipstream.model.training.CaptionedBatch;
import dev.clipstream.model.training.CaptionedPair;
import dev.clipstream.model.training.ContinualBatches;
import dev.clipstream.model.training.ContrastiveTrainer;
import dev.clipstream.model.training.HoldoutEvaluation;
import dev.clipstream.model.training.LearningRateSchedule;
import dev.clipstream.model.training.PairBatches;
import dev.clipstream.model.training.ReplayReservoir;
import dev.clipstream.model.training.TrainingStep;
import dev.clipstream.model.weights.DType;
import dev.clipstream.model.weights.SafeTensorsFile;
import dev.clipstream.model.weights.TensorInfo;
import dev.clipstream.schemas.ModelUpdate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer (parallelism 1): every captioned image either joins the held-out slice (every n-th)
 * or waits for the next batch; a batch of {@code newPairs} stream pairs plus pairs drawn from the
 * replay reservoir makes one {@link ContrastiveTrainer} step. Every {@code publishEvery} steps the
 * candidate meets the gate — on the held-out slice its contrastive loss must be lower than the
 * served model's and its caption accuracy no more than the tolerance below it — and only then are
 * its weights written to the model store and a {@link ModelUpdate} emitted.
 *
 * <p>Exactly once: at each Flink checkpoint the weights and optimiser state of the current step go
 * to the store (when a step was taken since the last one), and the checkpoint holds the step, the
 * pending pairs, the reservoir, the held-out slice, the random state and the names and digests of
 * those files. A restore loads exactly those weights and the source rewinds to the same offsets, so
 * no step is counted twice and no event trained on twice. {@link CheckpointFiles} keeps the files
 * of the checkpoints Flink retains; a savepoint gets copies of its own under {@code savepoints/},
 * which the job never deletes.
 */
public final class TrainOnStream extends ProcessFunction<PreparedImage, ModelUpdate>
    implements CheckpointedFunction, CheckpointListener {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(TrainOnStream.class);

  /** Warm-up steps of the learning rate at the start of a run. */
  public static final int WARMUP_STEPS = 10;

  /** The held-out slice must have this many pairs before the gate judges anything. */
  static final int MIN_HOLDOUT = 32;

  /** Accumulators of the job result: nanoTime of the first pair and of the last step, steps. */
  public static final String FIRST_PAIR_AT = "trainingFirstPairNanos";

  public static final String LAST_STEP_AT = "trainingLastStepNanos";
  public static final String STEPS_TAKEN = "trainingStepsTaken";

  private final TrainingOptions.Settings settings;

  private transient ModelStore store;
  private transient ClipTokenizer tokenizer;
  private transient ContrastiveTrainer trainer;
  private transient ClipModel served;
  private transient ContinualBatches batches;
  private transient TrainerPosition position;
  private transient long savedStep;
  private transient CheckpointFiles files;
  private transient String jobId;
  private transient boolean restoredOwnState;
  private transient boolean nextSnapshotIsSavepoint;
  private transient double lastLoss;
  private transient dev.clipstream.model.data.LabelledFolder guardSet;
  private transient dev.clipstream.model.zeroshot.LabelSet guardLabels;

  private transient ListState<TrainerPosition> positionState;
  private transient ListState<CaptionedPair> pendingState;
  private transient ListState<CaptionedPair> replayState;
  private transient ListState<CaptionedPair> holdoutState;
  private transient ListState<SnapshotFiles> filesState;
  private transient ListState<String> publishedState;
  private transient ListState<String> filesOwnerState;

  private transient org.apache.flink.api.common.accumulators.LongMinimum firstPairAt;
  private transient org.apache.flink.api.common.accumulators.LongMaximum lastStepAt;
  private transient org.apache.flink.api.common.accumulators.LongCounter stepsTaken;
  private transient Counter steps;
  private transient Counter pairsTrained;
  private transient Counter gatePassed;
  private transient Counter gateRefused;

  public TrainOnStream(TrainingOptions.Settings settings) {
    this.settings = settings;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    TypeInformation<CaptionedPair> pairs = TypeInformation.of(CaptionedPair.class);
    positionState =
        context
            .getOperatorStateStore()
            .getListState(
                new ListStateDescriptor<>("position", TypeInformation.of(TrainerPosition.class)));
    pendingState =
        context.getOperatorStateStore().getListState(new ListStateDescriptor<>("pending", pairs));
    replayState =
        context.getOperatorStateStore().getListState(new ListStateDescriptor<>("replay", pairs));
    holdoutState =
        context.getOperatorStateStore().getListState(new ListStateDescriptor<>("holdout", pairs));
    filesState =
        context
            .getOperatorStateStore()
            .getListState(
                new ListStateDescriptor<>("files", TypeInformation.of(SnapshotFiles.class)));
    publishedState =
        context
            .getOperatorStateStore()
            .getListState(new ListStateDescriptor<>("published", TypeInformation.of(String.class)));
    filesOwnerState =
        context
            .getOperatorStateStore()
            .getListState(
                new ListStateDescriptor<>("files-owner", TypeInformation.of(String.class)));
    position = new TrainerPosition();
    position.randomState = settings.seed();
    List<CaptionedPair> pending = new ArrayList<>();
    List<CaptionedPair> reservoir = new ArrayList<>();
    List<CaptionedPair> holdout = new ArrayList<>();
    if (context.isRestored()) {
      for (TrainerPosition p : positionState.get()) {
        position = p;
      }
      pendingState.get().forEach(pending::add);
      replayState.get().forEach(reservoir::add);
      holdoutState.get().forEach(holdout::add);
    }
    store = new ModelStore(settings.store());
    jobId = getRuntimeContext().getJobInfo().getJobId().toString();
    // The files of a snapshot of this very job (a failover) are ours to prune; those of another
    // job's snapshot (a start from its savepoint or retained checkpoint) are not: that job's
    // snapshots may still be restored.
    List<SnapshotFiles> tracked = new ArrayList<>();
    List<String> published = new ArrayList<>();
    if (context.isRestored()) {
      for (String owner : filesOwnerState.get()) {
        restoredOwnState = owner.equals(jobId);
      }
      if (restoredOwnState) {
        filesState.get().forEach(tracked::add);
        publishedState.get().forEach(published::add);
      }
    }
    files =
        new CheckpointFiles(
            store,
            trainingDirectory(),
            settings.retainedCheckpoints(),
            settings.retainedPublications(),
            tracked,
            published);
    batches =
        new ContinualBatches(
            settings.batchSize(),
            settings.newPairs(),
            settings.holdoutEvery(),
            settings.holdoutSize(),
            new ReplayReservoir(
                settings.replayCapacity(), reservoir, position.offered, position.randomState),
            position.seen,
            pending,
            holdout);
    savedStep = position.step;
  }

  @Override
  public void open(OpenContext context) throws Exception {
    tokenizer = ClipTokenizer.load();
    if (restoredOwnState) {
      files.sweep(position.served);
    }
    if (!settings.guardFolder().isBlank()) {
      guardSet = dev.clipstream.model.data.LabelledFolder.read(Path.of(settings.guardFolder()));
      guardLabels = dev.clipstream.model.zeroshot.LabelSet.of("guard", 1, guardSet.classes());
      LOG.info(
          "gate: accuracy on {} ({} images, labels {})",
          settings.guardFolder(),
          guardSet.count(),
          guardSet.classes());
    }
    ClipModel model;
    if (position.weights != null) {
      model = loadFromStore(position.weights, position.weightsSha256, true);
    } else {
      model = loadConfigured(true);
    }
    trainer =
        new ContrastiveTrainer(
            model,
            LearningRateSchedule.constantAfterWarmup(settings.learningRate(), WARMUP_STEPS),
            AdamW.Settings.clipDefaults());
    if (position.optimizer != null) {
      restoreOptimizer(position.optimizer, position.optimizerSha256, position.step);
    }
    served =
        position.served != null
            ? loadFromStore(position.served, position.servedSha256, false)
            : loadConfigured(false);
    if (position.servedVersion == null) {
      position.servedVersion = StartWeights.version(settings.weights());
    }
    // For benchmarks: steps per second from the first pair to the last step, in the job result.
    firstPairAt = new org.apache.flink.api.common.accumulators.LongMinimum();
    lastStepAt = new org.apache.flink.api.common.accumulators.LongMaximum();
    stepsTaken = new org.apache.flink.api.common.accumulators.LongCounter();
    getRuntimeContext().addAccumulator(FIRST_PAIR_AT, firstPairAt);
    getRuntimeContext().addAccumulator(LAST_STEP_AT, lastStepAt);
    getRuntimeContext().addAccumulator(STEPS_TAKEN, stepsTaken);
    MetricGroup metrics = getRuntimeContext().getMetricGroup();
    steps = metrics.counter("trainingSteps");
    pairsTrained = metrics.counter("pairsTrained");
    gatePassed = metrics.counter("gatePassed");
    gateRefused = metrics.counter("gateRefused");
    metrics.gauge("trainingStep", (Gauge<Long>) () -> position.step);
    metrics.gauge("trainingLoss", (Gauge<Double>) () -> lastLoss);
    metrics.gauge("replaySize", (Gauge<Integer>) () -> batches.replay().size());
    metrics.gauge("holdoutSize", (Gauge<Integer>) () -> batches.holdout().size());
    metrics.gauge("servedModelVersion", (Gauge<String>) () -> position.servedVersion);
  }

  @Override
  public void processElement(PreparedImage image, Context ctx, Collector<ModelUpdate> out)
      throws Exception {
    firstPairAt.add(System.nanoTime());
    List<CaptionedPair> batch =
        batches.offer(CaptionedPair.ofPreprocessed(image.pixels, image.caption));
    position.seen = batches.seen();
    if (batch == null) {
      return;
    }
    TrainingStep step = trainer.step(batch(batch));
    pairsTrained.inc(settings.newPairs());
    position.step = trainer.steps();
    position.offered = batches.replay().offered();
    position.randomState = batches.replay().randomState();
    lastLoss = step.loss();
    steps.inc();
    stepsTaken.add(1L);
    lastStepAt.add(System.nanoTime());
    if (position.step % settings.publishEvery() == 0) {
      gate(out);
    }
  }

  private CaptionedBatch batch(List<CaptionedPair> pairs) {
    ClipModel model = trainer.model();
    return PairBatches.of(
        pairs, tokenizer, model.config().imageResolution(), model.config().contextLength());
  }

  /** Publishes the candidate if it passes the gate on the held-out slice. */
  private void gate(Collector<ModelUpdate> out) throws IOException {
    List<CaptionedPair> holdout = batches.holdout();
    if (holdout.size() < MIN_HOLDOUT) {
      LOG.info("step {}: gate skipped, {} held-out pairs so far", position.step, holdout.size());
      return;
    }
    CaptionedBatch guard = batch(holdout);
    HoldoutEvaluation candidate = HoldoutEvaluation.of(trainer.model(), guard);
    HoldoutEvaluation current = HoldoutEvaluation.of(served, guard);
    double candidateAccuracy = candidate.accuracy();
    double currentAccuracy = current.accuracy();
    String accuracyOn = "caption accuracy";
    if (guardSet != null) {
      candidateAccuracy =
          dev.clipstream.model.zeroshot.ZeroShotEvaluation.run(
                  trainer.model(), tokenizer, guardSet, guardLabels)
              .accuracy();
      currentAccuracy =
          dev.clipstream.model.zeroshot.ZeroShotEvaluation.run(
                  served, tokenizer, guardSet, guardLabels)
              .accuracy();
      accuracyOn = "guard-folder accuracy";
    }
    boolean lossImproved = candidate.loss() < current.loss();
    boolean accuracyHeld = candidateAccuracy >= currentAccuracy - settings.guardTolerance();
    String verdict =
        String.format(
            "step %d vs %s on %d held-out pairs: loss %.4f vs %.4f, %s %.3f vs %.3f",
            position.step,
            position.servedVersion,
            guard.size(),
            candidate.loss(),
            current.loss(),
            accuracyOn,
            candidateAccuracy,
            currentAccuracy);
    if (!(lossImproved && accuracyHeld)) {
      gateRefused.inc();
      LOG.info(
          "gate refused {}: {}",
          verdict,
          !lossImproved ? "held-out loss did not improve" : "accuracy dropped past the tolerance");
      return;
    }
    String version = "continual-step-" + position.step;
    Path local = Files.createTempFile("clipstream-publish-", ".safetensors");
    try {
      WeightsInfo info =
          trainer.model().save(local, DType.F32, Map.of("step", Long.toString(position.step)));
      String name = "published/" + version + ".safetensors";
      store.put(local, name);
      store.put(info.manifest(), CheckpointFiles.manifestOf(name));
      files.published(name);
      Files.deleteIfExists(info.manifest());
      served.close();
      served = ClipModel.load(local, LoadOptions.defaults());
      position.served = name;
      position.servedSha256 = info.sha256();
      position.servedVersion = version;
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("holdoutLoss", candidate.loss());
      metrics.put("holdoutAccuracy", candidate.accuracy());
      metrics.put("guardAccuracy", candidateAccuracy);
      metrics.put("servedGuardAccuracy", currentAccuracy);
      metrics.put("servedHoldoutLoss", current.loss());
      metrics.put("servedHoldoutAccuracy", current.accuracy());
      metrics.put("trainingLoss", lastLoss);
      gatePassed.inc();
      LOG.info("gate passed, publishing {}: {}", version, verdict);
      out.collect(
          ModelUpdate.newBuilder()
              .setModelVersion(version)
              .setTrainingStep(position.step)
              .setCheckpointUri(name)
              .setWeightsSha256(info.sha256())
              .setMetrics(new HashMap<>(metrics))
              .setCreatedTime(Instant.now())
              .build());
    } finally {
      Files.deleteIfExists(local);
    }
  }

  /** Set by {@link TrainerOperator} before each snapshot. */
  void nextSnapshotIsSavepoint(boolean savepoint) {
    nextSnapshotIsSavepoint = savepoint;
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    boolean savepoint = nextSnapshotIsSavepoint;
    nextSnapshotIsSavepoint = false;
    if (savepoint) {
      positionState.update(List.of(savepointPosition(context.getCheckpointId())));
      filesState.update(List.of());
      publishedState.update(List.of());
      filesOwnerState.update(List.of());
    } else {
      if (position.step != savedStep) {
        StepFiles written = StepFiles.write(store, trainer, position.step, trainingDirectory());
        position.weights = written.weights();
        position.weightsSha256 = written.weightsSha256();
        position.optimizer = written.optimizer();
        position.optimizerSha256 = written.optimizerSha256();
        savedStep = position.step;
      }
      files.snapshotted(
          context.getCheckpointId(), position.weights, position.optimizer, position.served);
      positionState.update(List.of(position));
      filesState.update(files.snapshots());
      publishedState.update(files.publications());
      filesOwnerState.update(List.of(jobId));
    }
    pendingState.update(batches.pending());
    replayState.update(batches.replay().pairs());
    holdoutState.update(batches.holdout());
  }

  /**
   * The position a savepoint holds: the same, with every file it needs copied to a directory of its
   * own ({@code savepoints/<job id>/<savepoint id>-<random>/}), which no checkpoint's clean-up
   * touches.
   */
  private TrainerPosition savepointPosition(long savepointId) throws IOException {
    String directory =
        String.format(
            "savepoints/%s/%d-%s",
            jobId, savepointId, java.util.UUID.randomUUID().toString().substring(0, 8));
    TrainerPosition p = position.copy();
    if (position.step > 0) {
      StepFiles written = StepFiles.write(store, trainer, position.step, directory);
      p.weights = written.weights();
      p.weightsSha256 = written.weightsSha256();
      p.optimizer = written.optimizer();
      p.optimizerSha256 = written.optimizerSha256();
    }
    if (position.served != null) {
      p.served = directory + "/served.safetensors";
      StepFiles.copy(store, position.served, position.servedSha256, p.served);
    }
    LOG.info("savepoint {}: step {} with its files in {}", savepointId, p.step, directory);
    return p;
  }

  /** This job's directory of checkpoint files. */
  private String trainingDirectory() {
    return "training/" + jobId;
  }

  /** Files that no retained checkpoint references any more are deleted. */
  @Override
  public void notifyCheckpointComplete(long checkpointId) throws Exception {
    files.completed(checkpointId, position.served);
  }

  private ClipModel loadConfigured(boolean trainable) throws IOException {
    LoadOptions options = LoadOptions.builder().optTrainable(trainable).build();
    if (settings.weights().isEmpty()) {
      return DefaultModel.load(options);
    }
    try (StartWeights.Local local = StartWeights.fetch(settings.weights())) {
      return ClipModel.load(local.path(), options);
    }
  }

  private ClipModel loadFromStore(String name, String sha, boolean trainable) throws IOException {
    Path local = store.fetchVerified(name, sha);
    try {
      return ClipModel.load(local, LoadOptions.builder().optTrainable(trainable).build());
    } finally {
      Files.deleteIfExists(local);
    }
  }

  private void restoreOptimizer(String name, String sha, long step) throws IOException {
    Path local = store.fetchVerified(name, sha);
    try {
      SafeTensorsFile file = SafeTensorsFile.read(local);
      Map<String, float[]> values = new LinkedHashMap<>();
      Map<String, Shape> shapes = new LinkedHashMap<>();
      for (Map.Entry<String, TensorInfo> e : file.tensors().entrySet()) {
        values.put(e.getKey(), file.floats(e.getKey()));
        shapes.put(e.getKey(), new Shape(e.getValue().shape()));
      }
      trainer.optimizer().restore(values, shapes, step);
    } finally {
      Files.deleteIfExists(local);
    }
  }

  @Override
  public void close() throws Exception {
    if (trainer != null) {
      trainer.close();
      trainer.model().close();
      trainer = null;
    }
    if (served != null) {
      served.close();
      served = null;
    }
  }
}
