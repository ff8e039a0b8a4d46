package dev.clipstream.jobs.cli;

import dev.clipstream.jobs.index.IndexError;
import dev.clipstream.jobs.index.IndexSearch;
import dev.clipstream.jobs.index.IndexStats;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code clipstream index}: what an index holds. */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    description = "Inspect the search index.",
    subcommands = {IndexCommand.Stats.class, CommandLine.HelpCommand.class})
final class IndexCommand {

  /** {@code clipstream index stats}. */
  @Command(
      name = "stats",
      mixinStandardHelpOptions = true,
      description =
          "The searchable commit: documents, distinct events, and documents per model version.")
  static final class Stats implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--index", required = true, description = "The index folder (index.path).")
    Path index;

    @Override
    public Integer call() throws Exception {
      IndexStats stats;
      try (IndexSearch search = IndexSearch.open(index)) {
        stats = search.stats();
      } catch (IndexError e) {
        throw new UserError(e.getMessage(), e);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "commit %d: %d documents, %d events%n",
          stats.commit(), stats.documents(), stats.events());
      for (Map.Entry<String, Integer> e : stats.perModelVersion().entrySet()) {
        out.printf("  model %s: %d%n", e.getKey(), e.getValue());
      }
      out.flush();
      return 0;
    }
  }
}
