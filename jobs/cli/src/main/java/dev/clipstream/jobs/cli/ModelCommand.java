package dev.clipstream.jobs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code clipstream model}: tools for weights files. */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description = "Tools for CLIP weights files.",
    subcommands = {
      ModelVerifyCommand.class,
      ModelPublishCommand.class,
      ModelConvertCommand.class,
      CommandLine.HelpCommand.class
    })
final class ModelCommand {}
