package dev.clipstream.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.cli.ClipstreamCliTest.Run;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** {@code clipstream ui}'s flags: each bad one is a one-line error with the usage exit code. */
class UiCommandTest {

  @Test
  void aPortOutOfRangeIsOneLine() {
    assertOneLine(
        ui("--port", "70000"), ClipstreamCli.EXIT_USAGE, "--port must be 0 to 65535, not 70000");
  }

  @Test
  void aNegativeHistoryIsOneLine() {
    assertOneLine(
        ui("--history", "-1"), ClipstreamCli.EXIT_USAGE, "--history must be 0 or more, not -1");
  }

  @Test
  void anUnknownSettingIsOneLine() {
    assertOneLine(
        ui("--set", "topics.inptu=images"),
        ClipstreamCli.EXIT_USAGE,
        "--set topics.inptu is not a setting of clipstream ui: topics.input, topics.results,"
            + " topics.dead-letters");
  }

  @Test
  void aPortThatIsNotANumberIsRefusedByTheParser() {
    Run run = ui("--port", "eighty");
    assertEquals(ClipstreamCli.EXIT_USAGE, run.exitCode(), run.err());
    assertTrue(run.err().contains("Invalid value for option '--port'"), run.err());
  }

  @Test
  void theIndexIsRequired() {
    Run run = ClipstreamCliTest.run("ui", "--bootstrap-servers", "127.0.0.1:9");
    assertEquals(ClipstreamCli.EXIT_USAGE, run.exitCode(), run.err());
    assertTrue(run.err().contains("Missing required option: '--index=<index>'"), run.err());
  }

  @Test
  void aTakenPortIsOneLine() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      assertOneLine(
          ui("--port", Integer.toString(port)),
          ClipstreamCli.EXIT_USAGE,
          "cannot listen on 127.0.0.1:" + port);
    }
  }

  private static Run ui(String... flags) {
    String[] args = new String[5 + flags.length];
    args[0] = "ui";
    args[1] = "--bootstrap-servers";
    args[2] = "127.0.0.1:9";
    args[3] = "--index";
    args[4] = "/nonexistent/index";
    System.arraycopy(flags, 0, args, 5, flags.length);
    return ClipstreamCliTest.run(args);
  }

  private static void assertOneLine(Run run, int exitCode, String expected) {
    assertEquals(exitCode, run.exitCode(), run.out() + run.err());
    assertEquals(1, run.err().strip().split("\n").length, run.err());
    assertTrue(run.err().contains(expected), expected + " in: " + run.err());
    assertFalse(run.err().contains("\tat "), "no stack trace");
  }
}
