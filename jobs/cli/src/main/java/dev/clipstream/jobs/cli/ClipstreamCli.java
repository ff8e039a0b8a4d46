package dev.clipstream.jobs.cli;

import dev.clipstream.model.engine.DjlRuntime;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code clipstream} command line: one entry point for every tool and job. */
@Command(
    name = "clipstream",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Real-time CLIP image understanding on Apache Flink and Kafka.",
    subcommands = {
      InfoCommand.class,
      TokenizeCommand.class,
      PreprocessCommand.class,
      TrainCommand.class,
      EvalCommand.class,
      ModelCommand.class,
      EmbedCommand.class,
      DemoCommand.class,
      ProduceCommand.class,
      ConsumeCommand.class,
      SearchCommand.class,
      IndexCommand.class,
      JobCommand.class,
      LabelsCommand.class,
      ExamplesCommand.class,
      KeysCommand.class,
      BenchCommand.class,
      SoakCommand.class,
      ClusterCommand.class,
      UiCommand.class,
      CommandLine.HelpCommand.class
    })
public final class ClipstreamCli {

  /** Exit code for a bad flag, file or input: the message says what to change. */
  public static final int EXIT_USAGE = 2;

  public static void main(String[] args) {
    DjlRuntime.preferOffline();
    System.exit(newCommandLine().execute(args));
  }

  /** The configured command line, for tests and {@link #main}. */
  public static CommandLine newCommandLine() {
    CommandLine cli = new CommandLine(new ClipstreamCli());
    cli.setExecutionExceptionHandler(ClipstreamCli::handle);
    return cli;
  }

  private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    if (e instanceof UserError) {
      err.println(cmd.getColorScheme().errorText("clipstream: " + e.getMessage()));
      return EXIT_USAGE;
    }
    // A bug, not bad input: keep the stack trace for the report.
    err.println(cmd.getColorScheme().errorText("clipstream: internal error: " + e));
    e.printStackTrace(err);
    return CommandLine.ExitCode.SOFTWARE;
  }
}
