package dev.clipstream.jobs.cli;

import dev.clipstream.jobs.control.ControlKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code clipstream keys}: the Ed25519 keys that sign and verify control messages. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Keys of the signed control plane (label sets, model updates).",
    subcommands = {KeysCommand.Generate.class, CommandLine.HelpCommand.class})
final class KeysCommand {

  /** {@code clipstream keys generate}: a new key pair as two PEM files. */
  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description =
          "Write a new Ed25519 key pair: the private key (PKCS#8 PEM) for publishers"
              + " (--signing-key, control.signing-key), the public key for tagging jobs"
              + " (control.trusted-keys).")
  static final class Generate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--private", required = true, description = "Where to write the private key.")
    Path privateKey;

    @Option(names = "--public", required = true, description = "Where to write the public key.")
    Path publicKey;

    @Override
    public Integer call() throws Exception {
      for (Path p : new Path[] {privateKey, publicKey}) {
        if (Files.exists(p)) {
          throw new UserError(p + " exists; not overwriting a key");
        }
      }
      KeyPair pair = ControlKeys.generate();
      ControlKeys.write(pair, privateKey, publicKey);
      spec.commandLine()
          .getOut()
          .printf(
              "key %s: private %s, public %s%n",
              ControlKeys.keyId(pair.getPublic()), privateKey, publicKey);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
