package dev.clipstream.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.cli.ClipstreamCliTest.Run;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BenchDecodeCommandTest {

  @Test
  void printsARateAndItsSystemShareForEachPhotoSize() {
    Run run = ClipstreamCliTest.run("bench", "decode", "--seconds", "0.2");

    assertEquals(0, run.exitCode(), run.err());
    for (String photo : List.of("512×512 JPEG q90", "1024×1024 JPEG q90", "512×512 PNG")) {
      Pattern row =
          Pattern.compile(
              "\\| "
                  + Pattern.quote(photo)
                  + " \\| [0-9,]+ \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ % \\| [1-9][0-9]* \\|");
      assertTrue(row.matcher(run.out()).find(), photo + " in\n" + run.out());
    }
  }

  @Test
  void refusesANonPositiveDuration() {
    Run run = ClipstreamCliTest.run("bench", "decode", "--seconds", "0");

    assertNotEquals(0, run.exitCode());
    assertTrue(run.err().contains("--seconds and --size must be positive"), run.err());
  }
}
