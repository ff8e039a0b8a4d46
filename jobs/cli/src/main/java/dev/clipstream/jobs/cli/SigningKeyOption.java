package dev.clipstream.jobs.cli;

import dev.clipstream.jobs.control.ControlSigner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --signing-key}: the Ed25519 private key a publishing command signs its message with. */
final class SigningKeyOption {

  @Option(
      names = "--signing-key",
      paramLabel = "PEM",
      description =
          "Ed25519 private key (PKCS#8 PEM, e.g. from `clipstream keys generate`) to sign the"
              + " message with; tagging jobs refuse unsigned control messages unless"
              + " control.require-signatures=false.")
  Path signingKey;

  /** The signer, or null (with a warning on {@code err}) when no key was given. */
  ControlSigner signer(PrintWriter err) {
    if (signingKey == null) {
      err.println(
          "warning: publishing unsigned (no --signing-key): tagging jobs that require signatures"
              + " will refuse it");
      err.flush();
      return null;
    }
    CliFiles.readable(signingKey);
    try {
      return ControlSigner.load(signingKey);
    } catch (IOException e) {
      throw new UserError(e.getMessage(), e);
    }
  }
}
