package dev.clipstream.jobs.cli;

import dev.clipstream.model.ClipConfig;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.data.DatasetLocator;
import dev.clipstream.model.data.FashionMnist;
import dev.clipstream.model.data.LabelledImages;
import dev.clipstream.model.tokenizer.ClipTokenizer;
import dev.clipstream.model.training.AdamW;
import dev.clipstream.model.training.Augmentation;
import dev.clipstream.model.training.ShiftMix;
import dev.clipstream.model.training.TrainingRun;
import dev.clipstream.model.training.TrainingRunOptions;
import dev.clipstream.model.weights.DType;
import dev.clipstream.model.zeroshot.EvaluationReport;
import dev.clipstream.model.zeroshot.LabelSet;
import dev.clipstream.model.zeroshot.ZeroShotEvaluation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code clipstream train}: a CLIP-ViT from scratch on captioned Fashion-MNIST. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a small CLIP-ViT from scratch on Fashion-MNIST images with generated captions,",
      "evaluate it zero-shot on the test split, and write safetensors (F16) plus a manifest."
    })
final class TrainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--out",
      required = true,
      description = "Weights file to write (.safetensors); the manifest goes beside it.")
  Path out;

  @Option(
      names = "--data-dir",
      description =
          "Directory with the Fashion-MNIST .gz files (else Debian's package, else download).")
  Path dataDir;

  @Option(
      names = "--steps",
      defaultValue = "3000",
      description = "Optimisation steps (default ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--batch-size",
      defaultValue = "256",
      description = "Image/caption pairs per step (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--lr",
      defaultValue = "2e-3",
      description = "Peak learning rate (default ${DEFAULT-VALUE}).")
  double lr;

  @Option(
      names = "--warmup",
      defaultValue = "150",
      description = "Warm-up steps (default ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--weight-decay",
      defaultValue = "0.1",
      description = "AdamW decoupled weight decay (default ${DEFAULT-VALUE}).")
  double weightDecay;

  @Option(
      names = "--seed",
      defaultValue = "7",
      description = "Seed of initialisation, sampling and augmentation.")
  long seed;

  @Option(
      names = "--exclude-labels",
      split = ",",
      description = "Labels never shown in training, e.g. Bag,\"Ankle boot\".")
  List<String> excludeLabels = List.of();

  @Option(
      names = "--augment",
      defaultValue = "crops",
      description =
          "Training augmentation: none, crops (mild resized crops and flips) or shifts (also"
              + " placement and scale on larger canvases, tints, inversions, brightness, contrast,"
              + " blur, noise and JPEG re-encoding) (default ${DEFAULT-VALUE}).")
  String augment;

  @Mixin ShiftMixOptions shiftMix;

  @Option(
      names = "--clean-tail-steps",
      defaultValue = "0",
      description =
          "Train the last N steps with --augment crops only (the low-learning-rate end of the"
              + " schedule on pictures like the clean test set) (default ${DEFAULT-VALUE}).")
  int cleanTailSteps;

  @Option(
      names = "--snapshot-every",
      defaultValue = "0",
      description =
          "Also write the weights every N steps, beside --out as NAME.step-N.safetensors"
              + " (default: none).")
  int snapshotEvery;

  @Option(names = "--image-size", defaultValue = "28")
  int imageSize;

  @Option(names = "--patch", defaultValue = "4")
  int patch;

  @Option(names = "--vision-width", defaultValue = "128")
  int visionWidth;

  @Option(names = "--vision-layers", defaultValue = "4")
  int visionLayers;

  @Option(names = "--text-width", defaultValue = "64")
  int textWidth;

  @Option(names = "--text-layers", defaultValue = "2")
  int textLayers;

  @Option(names = "--embed-dim", defaultValue = "64")
  int embedDim;

  @Option(names = "--context-length", defaultValue = "32")
  int contextLength;

  @Override
  public Integer call() throws IOException {
    Augmentation augmentation = augmentation(augment);
    ShiftMix mix = shiftMix.mix();
    if (cleanTailSteps < 0 || cleanTailSteps > steps) {
      throw new UserError(
          "--clean-tail-steps must be between 0 and --steps (" + steps + "): " + cleanTailSteps);
    }
    Set<Integer> excluded = new LinkedHashSet<>();
    for (String label : excludeLabels) {
      int index = FashionMnist.CLASSES.indexOf(label.strip());
      if (index < 0) {
        throw new UserError(
            "--exclude-labels: unknown label '" + label + "'; labels are " + FashionMnist.CLASSES);
      }
      excluded.add(index);
    }
    ClipConfig config =
        new ClipConfig(
            embedDim,
            imageSize,
            visionLayers,
            visionWidth,
            patch,
            contextLength,
            49408,
            textWidth,
            Math.max(1, textWidth / ClipConfig.HEAD_WIDTH),
            textLayers);
    TrainingRunOptions options =
        new TrainingRunOptions(
            config,
            steps,
            batchSize,
            lr,
            warmup,
            seed,
            excluded,
            TrainingTemplates.ALL,
            augmentation,
            mix,
            cleanTailSteps,
            new AdamW.Settings(0.9, 0.98, 1e-6, weightDecay, 1.0));
    DatasetLocator locator = Datasets.locator(dataDir);
    LabelledImages train = Datasets.load(FashionMnist.Split.TRAIN, locator);
    LabelledImages test = Datasets.load(FashionMnist.Split.TEST, locator);
    PrintWriter err = spec.commandLine().getErr();
    ClipTokenizer tokenizer = ClipTokenizer.load();
    long start = System.nanoTime();
    try (ClipModel model =
        TrainingRun.train(
            train, options, tokenizer, new ProgressBar(err), snapshots(err, augmentation))) {
      double seconds = (System.nanoTime() - start) / 1e9;
      err.println();
      EvaluationReport report =
          ZeroShotEvaluation.run(
              model, tokenizer, test, LabelSet.of("fashion-mnist", 1, FashionMnist.CLASSES));
      PrintWriter stdout = spec.commandLine().getOut();
      stdout.print(report.toText());
      Map<String, String> manifest = new LinkedHashMap<>();
      manifest.put(
          "source",
          "clipstream " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
      manifest.put("step", Integer.toString(steps));
      manifest.put("seed", Long.toString(seed));
      manifest.put("augment", augmentation.name().toLowerCase(java.util.Locale.ROOT));
      shiftMix.describe(manifest);
      manifest.put("clean_tail_steps", Integer.toString(cleanTailSteps));
      manifest.put(
          "data",
          "Fashion-MNIST train split ("
              + train.count()
              + " images), captions from "
              + TrainingTemplates.ALL.size()
              + " templates");
      manifest.put(
          "data_md5",
          String.join(
              ",",
              FashionMnist.Split.TRAIN.spec().files().stream()
                  .map(f -> f.name() + ":" + String.join("|", new java.util.TreeSet<>(f.md5s())))
                  .toList()));
      manifest.put("excluded_labels", excludeLabels.toString());
      manifest.put("train_seconds", String.format("%.0f", seconds));
      manifest.put("test_accuracy", String.format("%.4f", report.accuracy()));
      if (!excluded.isEmpty()) {
        List<String> seen =
            FashionMnist.CLASSES.stream().filter(c -> !excludeLabels.contains(c)).toList();
        manifest.put("test_accuracy_seen_labels", String.format("%.4f", report.accuracyOn(seen)));
      }
      var info = model.save(out, DType.F16, manifest);
      stdout.printf(
          "%ntrained %d steps in %.0f s; wrote %s (sha256 %s)%n",
          steps, seconds, out, info.sha256());
      stdout.flush();
    }
    return 0;
  }

  static Augmentation augmentation(String name) {
    for (Augmentation a : Augmentation.values()) {
      if (a.name().equalsIgnoreCase(name.strip())) {
        return a;
      }
    }
    throw new UserError(
        "--augment: unknown augmentation '" + name + "'; choose none, crops or shifts");
  }

  /** Copies of the weights part-way, so a long run can be judged before it ends. */
  private TrainingRun.Snapshots snapshots(PrintWriter err, Augmentation augmentation) {
    if (snapshotEvery < 0) {
      throw new UserError("--snapshot-every must be >= 0: " + snapshotEvery);
    }
    return new TrainingRun.Snapshots() {
      @Override
      public int every() {
        return snapshotEvery;
      }

      @Override
      public void take(int step, ClipModel model) {
        String name = out.getFileName().toString().replaceFirst("\\.safetensors$", "");
        Path file = out.resolveSibling(name + ".step-" + step + ".safetensors");
        Map<String, String> manifest = new LinkedHashMap<>();
        manifest.put("step", Integer.toString(step));
        manifest.put("of_steps", Integer.toString(steps));
        manifest.put("seed", Long.toString(seed));
        manifest.put("augment", augmentation.name().toLowerCase(java.util.Locale.ROOT));
        try {
          model.save(file, DType.F16, manifest);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        err.printf("%nsnapshot at step %d: %s%n", step, file);
        err.flush();
      }
    };
  }
}
