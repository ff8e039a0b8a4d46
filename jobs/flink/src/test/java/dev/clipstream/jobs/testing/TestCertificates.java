package dev.clipstream.jobs.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PKI made with the JDK's own {@code keytool}: a CA, a broker key pair it signed (for
 * 127.0.0.1 and localhost), a client key pair it signed, and a trust store holding the CA; PKCS12
 * files in a directory, all with one password.
 */
public record TestCertificates(
    Path dir, Path caTrustStore, Path brokerKeyStore, Path clientKeyStore, String password) {

  private static final String PASSWORD = "clipstream-test";

  /** Makes the CA and both key pairs in {@code dir}. */
  public static TestCertificates create(Path dir) throws IOException, InterruptedException {
    Path ca = dir.resolve("ca.p12");
    Path caPem = dir.resolve("ca.pem");
    Path trust = dir.resolve("trust.p12");
    keytool(
        dir,
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=clipstream test CA",
        "-ext",
        "bc:c",
        "-validity",
        "2",
        "-keystore",
        ca);
    keytool(dir, "-exportcert", "-rfc", "-alias", "ca", "-keystore", ca, "-file", caPem);
    keytool(dir, "-importcert", "-noprompt", "-alias", "ca", "-file", caPem, "-keystore", trust);
    Path broker =
        signed(dir, ca, caPem, "broker", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost");
    Path client = signed(dir, ca, caPem, "client", "CN=clipstream test client", null);
    return new TestCertificates(dir, trust, broker, client, PASSWORD);
  }

  /** Client properties for TLS with this client's certificate. */
  public Map<String, String> clientProperties() {
    return Map.of(
        "security.protocol",
        "SSL",
        "ssl.truststore.type",
        "PKCS12",
        "ssl.truststore.location",
        caTrustStore.toString(),
        "ssl.truststore.password",
        password,
        "ssl.keystore.type",
        "PKCS12",
        "ssl.keystore.location",
        clientKeyStore.toString(),
        "ssl.keystore.password",
        password,
        "ssl.key.password",
        password);
  }

  /**
   * Client properties for TLS with a new client certificate for {@code commonName}, signed by this
   * CA: a broker that maps certificates to principals sees {@code User:CN=<commonName>}.
   */
  public Map<String, String> clientPropertiesFor(String commonName)
      throws IOException, InterruptedException {
    Path store =
        signed(
            dir,
            dir.resolve("ca.p12"),
            dir.resolve("ca.pem"),
            commonName.replaceAll("[^A-Za-z0-9]", "-"),
            "CN=" + commonName,
            null);
    Map<String, String> properties = new java.util.HashMap<>(clientProperties());
    properties.put("ssl.keystore.location", store.toString());
    return Map.copyOf(properties);
  }

  /** Client properties for TLS that trust the broker but present no certificate. */
  public Map<String, String> clientPropertiesWithoutCertificate() {
    return Map.of(
        "security.protocol",
        "SSL",
        "ssl.truststore.type",
        "PKCS12",
        "ssl.truststore.location",
        caTrustStore.toString(),
        "ssl.truststore.password",
        password);
  }

  private static Path signed(Path dir, Path ca, Path caPem, String name, String dname, String san)
      throws IOException, InterruptedException {
    Path store = dir.resolve(name + ".p12");
    Path csr = dir.resolve(name + ".csr");
    Path pem = dir.resolve(name + ".pem");
    keytool(
        dir,
        "-genkeypair",
        "-alias",
        name,
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        dname,
        "-validity",
        "2",
        "-keystore",
        store);
    keytool(dir, "-certreq", "-alias", name, "-keystore", store, "-file", csr);
    List<Object> gencert =
        new ArrayList<>(
            List.of(
                "-gencert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                ca,
                "-infile",
                csr,
                "-outfile",
                pem,
                "-validity",
                "2"));
    if (san != null) {
      gencert.addAll(List.of("-ext", san));
    }
    keytool(dir, gencert.toArray());
    keytool(dir, "-importcert", "-noprompt", "-alias", "ca", "-file", caPem, "-keystore", store);
    keytool(dir, "-importcert", "-alias", name, "-file", pem, "-keystore", store);
    return store;
  }

  private static void keytool(Path dir, Object... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    for (Object a : args) {
      command.add(a.toString());
    }
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
    Path log = dir.resolve("keytool.log");
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(
          "keytool " + command.subList(1, 3) + " failed: " + Files.readString(log));
    }
  }
}
