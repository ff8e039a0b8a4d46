package dev.clipstream.jobs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code clipstream bench}: measurements whose output goes into docs/benchmarks.md. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks, printed as tables.",
    subcommands = {BenchEncoderCommand.class, CommandLine.HelpCommand.class})
final class BenchCommand {}
