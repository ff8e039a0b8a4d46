package dev.clipstream.jobs.training;

import dev.clipstream.jobs.control.ModelStore;
import dev.clipstream.jobs.control.StartWeights;
import dev.clipstream.jobs.io.PreparedImage;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.tokenizer.ClipTokenizer;
import dev.clipstream.model.training.AdamW;
import dev.clipstream.model.training.CaptionedBatch;
import dev.clipstream.model.training.CaptionedPair;
import dev.clipstream.model.training.ContinualBatches;
import dev.clipstream.model.training.ContrastiveTrainer;
import dev.clipstream.model.training.LearningRateSchedule;
import dev.clipstream.model.training.PairBatches;
import dev.clipstream.model.training.ReplayReservoir;
import dev.clipstream.model.training.TrainingStep;
import dev.clipstream.schemas.ModelUpdate;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
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
  private transient PublishGate gate;

  private transient TrainerStates states;

  private transient TrainingMetrics metrics;

  public TrainOnStream(TrainingOptions.Settings settings) {
    this.settings = settings;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    states = new TrainerStates(context.getOperatorStateStore());
    position = new TrainerPosition();
    position.randomState = settings.seed();
    List<CaptionedPair> pending = new ArrayList<>();
    List<CaptionedPair> reservoir = new ArrayList<>();
    List<CaptionedPair> holdout = new ArrayList<>();
    if (context.isRestored()) {
      for (TrainerPosition p : states.position.get()) {
        position = p;
      }
      pending.addAll(TrainerStates.list(states.pending));
      reservoir.addAll(TrainerStates.list(states.replay));
      holdout.addAll(TrainerStates.list(states.holdout));
    }
    store = new ModelStore(settings.store());
    jobId = getRuntimeContext().getJobInfo().getJobId().toString();
    // The files of a snapshot of this very job (a failover) are ours to prune; those of another
    // job's snapshot (a start from its savepoint or retained checkpoint) are not: that job's
    // snapshots may still be restored.
    List<SnapshotFiles> tracked = new ArrayList<>();
    List<String> published = new ArrayList<>();
    if (context.isRestored()) {
      for (String owner : states.filesOwner.get()) {
        restoredOwnState = owner.equals(jobId);
      }
      if (restoredOwnState) {
        tracked.addAll(TrainerStates.list(states.files));
        published.addAll(TrainerStates.list(states.published));
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
    gate = new PublishGate(settings.guardTolerance(), tokenizer, settings.guardFolder());
    ClipModel model;
    if (position.weights != null) {
      model = StoreModels.fromStore(store, position.weights, position.weightsSha256, true);
    } else {
      model = StoreModels.configured(settings.weights(), true);
    }
    trainer =
        new ContrastiveTrainer(
            model,
            LearningRateSchedule.constantAfterWarmup(settings.learningRate(), WARMUP_STEPS),
            AdamW.Settings.clipDefaults());
    if (position.optimizer != null) {
      StoreModels.restoreOptimizer(
          store, trainer, position.optimizer, position.optimizerSha256, position.step);
    }
    served =
        position.served != null
            ? StoreModels.fromStore(store, position.served, position.servedSha256, false)
            : StoreModels.configured(settings.weights(), false);
    if (position.servedVersion == null) {
      position.servedVersion = StartWeights.version(settings.weights());
    }
    metrics =
        new TrainingMetrics(
            getRuntimeContext(),
            new TrainingMetrics.Readings(
                () -> position.step,
                () -> lastLoss,
                () -> batches.replay().size(),
                () -> batches.holdout().size(),
                () -> position.servedVersion));
  }

  @Override
  public void processElement(PreparedImage image, Context ctx, Collector<ModelUpdate> out)
      throws Exception {
    metrics.pairArrived();
    List<CaptionedPair> batch = batches.offer(new CaptionedPair(image.rgb, image.caption));
    position.seen = batches.seen();
    if (batch == null) {
      return;
    }
    TrainingStep step = trainer.step(batch(batch));
    position.step = trainer.steps();
    position.offered = batches.replay().offered();
    position.randomState = batches.replay().randomState();
    lastLoss = step.loss();
    metrics.stepTaken(settings.newPairs());
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
    PublishGate.Judgement judgement =
        gate.judge(
            trainer.model(),
            served,
            batch(holdout),
            position.step,
            position.servedVersion,
            lastLoss);
    if (!judgement.passed()) {
      metrics.gateRefused();
      LOG.info("gate refused {}: {}", judgement.verdict(), judgement.refusal());
      return;
    }
    Publication published =
        Publication.of(store, files, trainer.model(), position.step, judgement.metrics());
    served.close();
    served = published.served();
    position.served = published.name();
    position.servedSha256 = published.sha256();
    position.servedVersion = published.version();
    metrics.gatePassed();
    LOG.info("gate passed, publishing {}: {}", published.version(), judgement.verdict());
    out.collect(published.update());
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
      states.position.update(
          List.of(
              StepFiles.forSavepoint(
                  store, trainer, position, "savepoints/" + jobId, context.getCheckpointId())));
      states.files.update(List.of());
      states.published.update(List.of());
      states.filesOwner.update(List.of());
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
      states.position.update(List.of(position));
      states.files.update(files.snapshots());
      states.published.update(files.publications());
      states.filesOwner.update(List.of(jobId));
    }
    states.pending.update(batches.pending());
    states.replay.update(batches.replay().pairs());
    states.holdout.update(batches.holdout());
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
