package dev.clipstream.jobs.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI variant of the soak, and the test of its verdict: the small default model as fast as the
 * job takes events, 30,000 events of which the last 15,000 are judged. Two soaks run side by side,
 * each in a JVM of its own with a fixed, pre-touched heap (neither this JVM's earlier tests nor the
 * heap growing into its maximum then show in the resident set): one clean, one with the test switch
 * that keeps 4 KiB of native memory per event processed. The leaking one must fail its verdict
 * (bound 512 bytes per event) and measure at least half its leak per event more than the clean one,
 * which saw the same machine at the same time. The clean run's own slope moves in steps (its
 * buffers' high-water marks), so its verdict is printed, not asserted; and the difference of two
 * such slopes has a spread of some 700 bytes per event on two cores, too close to a 1 KiB leak's
 * half to assert (one CI run measured a 1 KiB leak only 190 bytes/event above its clean neighbour),
 * so the leak here is 4 KiB (docs/reliability.md has the numbers). The runs are measured in events,
 * not time; nothing here bounds the time.
 */
class SoakCommandITCase {

  /** Four KiB per event: the leak the CI variant must catch, far enough above the noise. */
  static final int LEAK = 4096;

  @TempDir Path out;

  @Test
  void aLeakOfFourKibibytesPerEventIsCaughtBesideACleanRun() throws Exception {
    Process clean = start(out.resolve("clean"), 0);
    Process leak = start(out.resolve("leak"), LEAK);
    Soak cleanRun = finish(clean, out.resolve("clean"));
    Soak leakRun = finish(leak, out.resolve("leak"));

    assertTrue(cleanRun.out().contains("all accounted for, each once"), cleanRun.out());
    assertTrue(leakRun.out().contains("all accounted for, each once"), leakRun.out());
    assertTrue(Files.size(out.resolve("clean/memory.png")) > 0);
    assertTrue(
        Files.readAllLines(out.resolve("clean/memory.csv")).size() > 10, "a sample a second");

    assertEquals(1, leakRun.exitCode(), leakRun.out());
    assertTrue(
        leakRun.out().contains("FAILED: resident memory grew with the events"), leakRun.out());
    double excess = bytesPerEvent(leakRun.out()) - bytesPerEvent(cleanRun.out());
    System.out.printf(
        "soak: the leaking run measured %+.0f bytes/event more than the clean one%n", excess);
    assertTrue(excess >= LEAK / 2.0, "leak minus clean: " + excess);
  }

  record Soak(int exitCode, String out) {}

  /** {@code clipstream soak} in a fresh JVM, its output to {@code dir/soak.out}. */
  static Process start(Path dir, int leakBytesPerEvent) throws IOException {
    Files.createDirectories(dir);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch", "-Dfile.encoding=UTF-8"));
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens") || arg.startsWith("--add-exports")) {
        command.add(arg); // the JDK 17 opens Flink's Kryo needs
      }
    }
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            "dev.clipstream.jobs.cli.ClipstreamCli",
            "soak",
            "--events",
            "30000",
            "--warmup-events",
            "15000",
            "--warmup-seconds",
            "0",
            "--rate",
            "0",
            "--in-flight",
            "256",
            "--inject-leak-bytes-per-event",
            Integer.toString(leakBytesPerEvent),
            "--output",
            dir.toString()));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("soak.out").toFile())
        .start();
  }

  static Soak finish(Process p, Path dir) throws IOException, InterruptedException {
    int code = p.waitFor();
    String text = Files.readString(dir.resolve("soak.out"), StandardCharsets.UTF_8);
    text.lines()
        .filter(l -> l.startsWith("soak:") || l.startsWith("  "))
        .forEach(l -> System.out.println(dir.getFileName() + ": " + l));
    return new Soak(code, text);
  }

  static double bytesPerEvent(String out) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("against events: ([+-][0-9]+) bytes/event").matcher(out);
    assertTrue(m.find(), out);
    return Double.parseDouble(m.group(1));
  }
}
