package dev.clipstream.jobs.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.cli.ClipstreamCliTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI variant of the soak: two minutes of steady load through the real tagging job, resident
 * memory flat after the warm-up (the long run is documented in docs/reliability.md).
 */
class SoakCommandITCase {

  @TempDir Path out;

  @Test
  void twoMinutesOfSteadyLoadHoldFlatMemory() throws Exception {
    ClipstreamCliTest.Run run =
        ClipstreamCliTest.run(
            "soak",
            "--minutes",
            "2",
            "--warmup-seconds",
            "45",
            "--rate",
            "50",
            "--output",
            out.toString());

    System.out.println(run.out());
    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertTrue(run.out().contains("PASSED: memory held flat"), run.out());
    assertTrue(Files.size(out.resolve("memory.png")) > 0);
    assertTrue(Files.readAllLines(out.resolve("memory.csv")).size() > 100, "a sample a second");
  }
}
