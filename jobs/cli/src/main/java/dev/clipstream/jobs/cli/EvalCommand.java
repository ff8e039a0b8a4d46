package dev.clipstream.jobs.cli;

import dev.clipstream.model.ClipModel;
import dev.clipstream.model.data.FashionMnist;
import dev.clipstream.model.data.LabelledImages;
import dev.clipstream.model.data.LabelledSource;
import dev.clipstream.model.shifts.ImageShift;
import dev.clipstream.model.shifts.RobustnessReport;
import dev.clipstream.model.tokenizer.ClipTokenizer;
import dev.clipstream.model.zeroshot.EvaluationReport;
import dev.clipstream.model.zeroshot.Label;
import dev.clipstream.model.zeroshot.LabelSet;
import dev.clipstream.model.zeroshot.PromptTemplates;
import dev.clipstream.model.zeroshot.ZeroShotEvaluation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code clipstream eval}: zero-shot accuracy of a checkpoint on a labelled image set. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Zero-shot accuracy of a checkpoint on Fashion-MNIST's test split (or a folder of images with",
      "a labels file), overall and per class, with the confusion matrix as text and as a PNG."
    })
final class EvalCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin WeightsOption weights;

  @Option(
      names = "--data-dir",
      description =
          "Directory with Fashion-MNIST's files (default: Debian's package or the bundled test split).")
  Path dataDir;

  @Option(
      names = "--images",
      description = "A folder of images to evaluate instead, with --labels-file.")
  Path imagesDir;

  @Option(
      names = "--labels-file",
      description =
          "CSV for --images: a header row naming a 'file' and a 'label' column, then one row per image (quote a field that holds a comma).")
  Path labelsFile;

  @Option(
      names = "--labels",
      split = ",",
      description = "The label set (default: the dataset's ten classes).")
  List<String> labels;

  @Option(
      names = "--templates",
      split = "\\|",
      description =
          "Prompt templates with {} for the label, separated by '|' (default: the built-in ensemble).")
  List<String> templates;

  @Option(names = "--limit", description = "Evaluate only the first N images.")
  Integer limit;

  @Option(names = "--report", description = "Write the text report here too.")
  Path report;

  @Option(names = "--plot", description = "Write the confusion matrix as a PNG here.")
  Path plot;

  @Option(
      names = "--shots",
      split = ",",
      description =
          "Also few-shot accuracy with K examples per class (e.g. 0,1,4,16): prototypes blended"
              + " with the text, and a linear probe.")
  List<Integer> shots;

  @Option(
      names = "--prior-shots",
      defaultValue = "4",
      description = "How many examples the text weights count as in the blend (default: 4).")
  float priorShots;

  @Option(names = "--seeds", defaultValue = "5", description = "Draws of the K shots to average.")
  int seeds;

  @Option(
      names = "--focus",
      split = ",",
      description = "Labels whose few-shot accuracy is also reported apart (e.g. Bag,Ankle boot).")
  List<String> focus;

  @Option(
      names = "--unknown-precision",
      description = "Also calibrate the unknown threshold to this precision (e.g. 0.95).")
  Double unknownPrecision;

  @Option(names = "--coverage-plot", description = "Accuracy against coverage as a PNG here.")
  Path coveragePlot;

  @Option(
      names = "--near-duplicates",
      description = "Also near-duplicate precision and recall on transformed copies.")
  boolean nearDuplicates;

  @Option(
      names = "--duplicate-window",
      defaultValue = "1000",
      description = "Recent images a new one is compared with (default: 1000).")
  int duplicateWindow;

  @Option(
      names = "--shift",
      split = ",",
      paramLabel = "KIND",
      description =
          "Also accuracy under seeded distribution shifts of the same images, per kind and on"
              + " average: offcentre, scale, tint, invert, noise, blur, contrast, brightness, jpeg,"
              + " large, or all.")
  List<String> shift;

  @Option(
      names = "--shift-seed",
      defaultValue = "19",
      description = "Seed of the shifted copies (default ${DEFAULT-VALUE}).")
  long shiftSeed;

  @Option(names = "--shift-csv", description = "Write the robustness table as CSV here.")
  Path shiftCsv;

  @Option(names = "--shift-plot", description = "Write the robustness table as a bar chart PNG.")
  Path shiftPlot;

  @Option(
      names = "--shift-baseline",
      description = "A CSV written by --shift-csv for another model, shown beside this one.")
  Path shiftBaseline;

  @Option(
      names = "--shift-baseline-name",
      defaultValue = "baseline",
      description = "What to call the --shift-baseline model (default ${DEFAULT-VALUE}).")
  String shiftBaselineName;

  @Override
  public Integer call() throws IOException {
    List<ImageShift> kinds = shiftKinds();
    LabelledSource images;
    List<String> classes;
    if (imagesDir != null) {
      FolderImages folder = FolderImages.read(imagesDir, labelsFile);
      images = folder;
      classes = folder.classes();
      if (!folder.notListed().isEmpty()) {
        spec.commandLine()
            .getOut()
            .printf(
                "not evaluated (%d, not in %s): %s%n",
                folder.notListed().size(),
                labelsFile.getFileName(),
                String.join(", ", folder.notListed()));
      }
    } else {
      LabelledImages test = Datasets.load(FashionMnist.Split.TEST, Datasets.locator(dataDir));
      images = limit != null ? test.head(limit) : test;
      classes = test.classes();
    }
    List<String> names = labels != null ? labels : classes;
    LabelSet set;
    try {
      set =
          new LabelSet(
              "eval",
              1,
              names.stream().map(String::strip).map(Label::named).toList(),
              templates != null ? templates : PromptTemplates.DEFAULT);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    try (ClipModel model = weights.load(spec.commandLine().getErr())) {
      if (!kinds.isEmpty()) {
        robustness(model, images, set, kinds, out);
        out.flush();
        return 0;
      }
      EvaluationReport result = ZeroShotEvaluation.run(model, ClipTokenizer.load(), images, set);
      out.print(result.toText());
      if (report != null) {
        Files.writeString(report, result.toText());
      }
      if (plot != null) {
        ConfusionMatrixChart.write(result, weights.name(), plot);
        out.printf("%nconfusion matrix plot: %s%n", plot);
      }
      if (shots != null || unknownPrecision != null || nearDuplicates) {
        beyondZeroShot(model, set, images, out);
      }
    }
    out.flush();
    return 0;
  }

  private List<ImageShift> shiftKinds() throws IOException {
    if (shift == null) {
      if (shiftCsv != null || shiftPlot != null || shiftBaseline != null) {
        throw new UserError("--shift-csv, --shift-plot and --shift-baseline need --shift");
      }
      return List.of();
    }
    if (shift.stream().anyMatch(k -> k.strip().equalsIgnoreCase("all"))) {
      return List.of(ImageShift.values());
    }
    try {
      return ImageShift.parse(shift);
    } catch (IllegalArgumentException e) {
      throw new UserError("--shift: " + e.getMessage());
    }
  }

  private void robustness(
      ClipModel model, LabelledSource images, LabelSet set, List<ImageShift> kinds, PrintWriter out)
      throws IOException {
    java.util.Map<String, Double> baseline =
        shiftBaseline == null ? null : ShiftTable.read(shiftBaseline);
    RobustnessReport report =
        RobustnessReport.measure(model, ClipTokenizer.load(), images, set, kinds, shiftSeed);
    ShiftTable table = new ShiftTable(report);
    table.print(out, weights.name(), baseline, shiftBaselineName);
    if (shiftCsv != null) {
      table.writeCsv(shiftCsv);
      out.printf("robustness table: %s%n", shiftCsv);
    }
    if (shiftPlot != null) {
      table.writeChart(shiftPlot, weights.name(), baseline, shiftBaselineName);
      out.printf("robustness plot: %s%n", shiftPlot);
    }
  }

  private void beyondZeroShot(ClipModel model, LabelSet set, LabelledSource images, PrintWriter out)
      throws IOException {
    if (!(images instanceof LabelledImages labelled)) {
      throw new UserError("--shots, --unknown-precision and --near-duplicates need Fashion-MNIST");
    }
    if (shots != null && shots.stream().anyMatch(k -> k < 0)) {
      throw new UserError("--shots must be >= 0: " + shots);
    }
    AdaptationEval eval = new AdaptationEval(model, set, labelled, out);
    if (shots != null) {
      eval.shots(
          shots,
          priorShots,
          seeds,
          focus == null ? java.util.Set.of() : java.util.Set.copyOf(focus));
    }
    if (unknownPrecision != null) {
      eval.unknown(unknownPrecision, coveragePlot);
    }
    if (nearDuplicates) {
      eval.duplicates(
          labelled,
          List.of(0.95f, 0.98f, 0.99f, 0.995f),
          List.of(1f, 0.5f, 0.25f, 0.1f),
          duplicateWindow);
    }
    out.flush();
  }
}
