package dev.clipstream.jobs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code clipstream job}: submit a job from a Flink client to a real Kafka. */
@Command(
    name = "job",
    mixinStandardHelpOptions = true,
    description =
        "Run a clipstream job against a real Kafka (on the Flink cluster of `flink run`, or locally).",
    subcommands = {
      TaggingJobCommand.class,
      TrainingJobCommand.class,
      IndexJobCommand.class,
      CommandLine.HelpCommand.class
    })
final class JobCommand {}
