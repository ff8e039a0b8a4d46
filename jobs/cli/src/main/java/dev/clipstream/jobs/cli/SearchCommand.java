package dev.clipstream.jobs.cli;

import dev.clipstream.jobs.index.IndexError;
import dev.clipstream.jobs.index.IndexHit;
import dev.clipstream.jobs.index.IndexQuery;
import dev.clipstream.jobs.index.IndexSearch;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.DefaultModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code clipstream search}: text-to-image or image-to-image search of the index. The query is
 * embedded with the model whose vectors it searches: the loaded weights name their version (the
 * default model's, or the weights file's name as the tagging job reports it), and only vectors of
 * that version are searched.
 */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = "Search the index: the nearest tagged images to a text or an image.")
final class SearchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--index", required = true, description = "The index folder (index.path).")
  Path index;

  static final class What {
    @Option(names = "--text", required = true, description = "Words to look for.")
    String text;

    @Option(names = "--image", required = true, description = "An image to find similar ones to.")
    Path image;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  What what;

  @Option(
      names = "--k",
      defaultValue = "10",
      description = "Hits to print, 1 to " + IndexQuery.MAX_K + " (default ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--label", description = "Only images whose top label is this one.")
  String label;

  @Option(
      names = "--since",
      description =
          "Only events from this time on: an instant (2026-12-01T12:00:00Z) or an age (10m, 2h, 1d).")
  String since;

  @Option(
      names = "--candidates",
      defaultValue = "" + IndexQuery.DEFAULT_CANDIDATES,
      description =
          "HNSW candidates per query; more is slower and finds more (default ${DEFAULT-VALUE}).")
  int candidates;

  @Mixin WeightsOption weights;

  @Option(
      names = "--model-version",
      description =
          "The version the loaded weights carry in the index (default: the default model's version, or the weights file's name).")
  String modelVersion;

  @Override
  public Integer call() throws Exception {
    Optional<Long> sinceMillis = Optional.ofNullable(since).map(SearchCommand::parseSince);
    PrintWriter out = spec.commandLine().getOut();
    try (IndexSearch search = IndexSearch.open(index)) {
      Map<String, Integer> versions = search.perModelVersion();
      String version = version();
      if (!versions.containsKey(version)) {
        throw new IndexError(
            "the index holds no vectors of model "
                + version
                + " (it holds "
                + (versions.isEmpty() ? "none" : String.join(", ", versions.keySet()))
                + "): pass --weights (and --model-version) of the model that made them");
      }
      float[] vector;
      try (ClipModel model = weights.load(spec.commandLine().getErr())) {
        vector =
            what.text != null
                ? QueryEmbedder.text(model, what.text)
                : QueryEmbedder.image(model, what.image);
      }
      IndexQuery query =
          new IndexQuery(vector, version, k, Optional.ofNullable(label), sinceMillis, candidates);
      for (IndexHit hit : search.search(query)) {
        out.printf(
            Locale.ROOT,
            "%s\t%.4f\t%s\t%s\t%s%n",
            hit.eventId(),
            hit.cosine(),
            hit.labels().stream()
                .map(l -> String.format(Locale.ROOT, "%s:%.3f", l.name(), l.score()))
                .collect(Collectors.joining(",")),
            hit.modelVersion() + " " + hit.labelSet() + "@" + hit.labelSetVersion(),
            Instant.ofEpochMilli(hit.eventTimeMillis()));
      }
    } catch (IndexError e) {
      throw new UserError(e.getMessage(), e);
    }
    out.flush();
    return 0;
  }

  private String version() {
    return version(weights, modelVersion);
  }

  /**
   * The version the loaded weights carry in the index: {@code override}, else the default model's
   * version or the weights file's name, as the tagging job reports it.
   */
  static String version(WeightsOption weights, String override) {
    if (override != null) {
      return override;
    }
    return weights.weights == null
        ? DefaultModel.version()
        : weights.weights.getFileName().toString();
  }

  /** An instant, or an age before now such as 10m, 2h, 1d or PT30S. */
  static long parseSince(String text) {
    try {
      return Instant.parse(text).toEpochMilli();
    } catch (DateTimeParseException notAnInstant) {
      // Try an age.
    }
    String t = text.strip().toUpperCase(Locale.ROOT);
    try {
      Duration age =
          t.startsWith("P")
              ? Duration.parse(t)
              : t.endsWith("D")
                  ? Duration.ofDays(Long.parseLong(t.substring(0, t.length() - 1)))
                  : Duration.parse("PT" + t);
      return Instant.now().minus(age).toEpochMilli();
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new UserError(
          "--since "
              + text
              + " is neither an instant (2026-12-01T12:00:00Z) nor an age (10m, 2h, 1d)");
    }
  }
}
