package dev.clipstream.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The soak's settings are checked before anything starts, each mistake in one line. */
class SoakCommandTest {

  static void refusedInOneLine(String expected, String... args) {
    ClipstreamCliTest.Run run = ClipstreamCliTest.run(args);

    assertEquals(ClipstreamCli.EXIT_USAGE, run.exitCode(), run.out() + run.err());
    assertTrue(run.err().contains(expected), run.err());
    assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
  }

  @Test
  void anUnknownModelOrImageSetNamesTheChoices() {
    refusedInOneLine(
        "'vit-l-14' is not a soak model: default or vit-b-32", "soak", "--model", "vit-l-14");
    refusedInOneLine(
        "'cats' is not an image set: fashion-mnist or photos", "soak", "--images", "cats");
  }

  @Test
  void anUnboundedBacklogIsRefused() {
    refusedInOneLine("--rate 0 needs --in-flight N", "soak", "--rate", "0");
    refusedInOneLine("--rate must be 0 or positive, got -5.0", "soak", "--rate", "-5");
    refusedInOneLine("--in-flight must be 0 or positive, got -1", "soak", "--in-flight", "-1");
  }

  @Test
  void theRunMustOutlastTheWarmUp() {
    refusedInOneLine(
        "--minutes must leave at least 10 s after the warm-up",
        "soak",
        "--minutes",
        "0.5",
        "--warmup-seconds",
        "45");
    refusedInOneLine("--parallelism must be at least 1, got 0", "soak", "--parallelism", "0");
    refusedInOneLine(
        "--events must leave at least 1000 events after --warmup-events",
        "soak",
        "--events",
        "5000",
        "--warmup-events",
        "4500");
  }
}
