package dev.clipstream.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

public class ClipstreamCliTest {

  public record Run(int exitCode, String out, String err) {}

  public static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = ClipstreamCli.newCommandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void infoReportsThePinnedEngineOnTheCpuAndEverySchemaFingerprint() {
    Run run = run("info");

    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("PyTorch 2.7.1"), run.out());
    assertTrue(run.out().contains("device      cpu"), run.out());
    assertTrue(run.out().contains("offline     true"), run.out());
    for (String type : new String[] {"ImageEvent", "TagResult", "ModelUpdate", "DeadLetter"}) {
      assertTrue(
          run.out().matches("(?s).*" + type + " +[0-9a-f]{16}.*"), type + " in\n" + run.out());
    }
  }

  @Test
  void helpListsTheSubcommands() {
    Run run = run("--help");

    assertEquals(0, run.exitCode());
    assertTrue(run.out().contains("info"), run.out());
  }

  @Test
  void anUnknownFlagGivesAShortMessageAndTheUsageExitCode() {
    Run run = run("info", "--no-such-flag");

    assertEquals(ClipstreamCli.EXIT_USAGE, run.exitCode());
    assertTrue(run.err().contains("Unknown option: '--no-such-flag'"), run.err());
    assertTrue(!run.err().contains("\tat "), "no stack trace for a user's mistake");
  }

  @Test
  void theTrainingJobWithoutAModelStoreSaysSoInOneLine() {
    Run run = run("job", "training", "--bootstrap-servers", "127.0.0.1:9");

    assertEquals(ClipstreamCli.EXIT_USAGE, run.exitCode());
    assertEquals(
        "clipstream: the training job needs a model store (model.store)",
        run.err().strip(),
        run.err());
  }

  @Test
  void theTrainingJobRefusesABatchWithMoreNewPairsThanRoom() {
    Run run =
        run(
            "job",
            "training",
            "--bootstrap-servers",
            "127.0.0.1:9",
            "--set",
            "model.store=/tmp",
            "--set",
            "training.new-pairs-per-batch=100");

    assertEquals(ClipstreamCli.EXIT_USAGE, run.exitCode());
    assertTrue(run.err().contains("training.new-pairs-per-batch"), run.err());
    assertEquals(1, run.err().strip().lines().count(), run.err());
  }

  @Test
  void theContinualDemoStreamsFashionMnistOnly() {
    Run run = run("demo", "--continual", "--input", ".");

    assertEquals(ClipstreamCli.EXIT_USAGE, run.exitCode());
    assertEquals(
        "clipstream: --continual streams Fashion-MNIST; it does not take --input",
        run.err().strip());
  }
}
