package dev.clipstream.jobs.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The soak's plot and samples are written from what it measured. */
class MemoryChartTest {

  @TempDir Path out;

  @Test
  void writesThePlotAndOneCsvRowPerSample() throws Exception {
    SoakRun.Plan plan =
        new SoakRun.Plan(
            Duration.ofSeconds(120),
            0,
            Duration.ofSeconds(30),
            0,
            0,
            256,
            512,
            64L << 20,
            "",
            1,
            Duration.ofSeconds(10),
            0);
    OutputLedger ledger = new OutputLedger();
    for (int i = 0; i < 150 * 120; i++) {
      ledger.record(true, OutputLedgerTest.key("soak-" + i));
    }
    SoakResult result =
        SoakResult.of(plan, LeakVerdictTest.run(1024, 0, 1), 120, 150 * 120, ledger);

    MemoryChart.write(out.resolve("memory.png"), result);
    SoakFiles.writeCsv(out.resolve("memory.csv"), result.samples());

    BufferedImage png = ImageIO.read(out.resolve("memory.png").toFile());
    assertEquals(1000, png.getWidth());
    assertEquals(122, Files.readAllLines(out.resolve("memory.csv")).size(), "header + 121 samples");
    assertTrue(result.toText().contains("+1024 bytes/event (bound 512)"), result.toText());
    assertTrue(result.toText().contains("FAILED: resident memory grew with the events"));
  }
}
