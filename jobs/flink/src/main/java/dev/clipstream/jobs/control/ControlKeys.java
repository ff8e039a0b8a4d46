package dev.clipstream.jobs.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Ed25519 keys of the control plane as PEM files: the private key in PKCS#8 ({@code BEGIN PRIVATE
 * KEY}, what {@code openssl genpkey -algorithm ed25519} writes), the public key as X.509
 * SubjectPublicKeyInfo ({@code BEGIN PUBLIC KEY}). A key's id is derived from the public key, so it
 * needs no configuring.
 */
public final class ControlKeys {
  private ControlKeys() {}

  public static final String ALGORITHM = "Ed25519";

  /** Characters of the key id: 16 hex digits, 64 bits of the public key's SHA-256. */
  static final int KEY_ID_HEX = 16;

  /** A fresh key pair. */
  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK (17+) always has Ed25519", e);
    }
  }

  /** The id signatures name their key by. */
  public static String keyId(PublicKey key) {
    return keyId(key.getEncoded());
  }

  /** The id of an X.509-encoded public key. */
  public static String keyId(byte[] x509) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(x509);
      return HexFormat.of().formatHex(digest).substring(0, KEY_ID_HEX);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }

  /** Writes the private key (owner-readable only where the file system allows) and public key. */
  public static void write(KeyPair pair, Path privateKey, Path publicKey) throws IOException {
    Files.writeString(privateKey, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    try {
      Files.setPosixFilePermissions(
          privateKey,
          Set.of(
              java.nio.file.attribute.PosixFilePermission.OWNER_READ,
              java.nio.file.attribute.PosixFilePermission.OWNER_WRITE));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the file keeps the directory's permissions
    }
    Files.writeString(publicKey, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
  }

  /**
   * Reads a PKCS#8 PEM private key.
   *
   * @throws IOException with a one-line reason when the file is missing or not an Ed25519 key
   */
  public static PrivateKey readPrivate(Path file) throws IOException {
    byte[] der = unpem(file, "PRIVATE KEY");
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IOException(file + " is not an Ed25519 private key (PKCS#8): " + e.getMessage());
    }
  }

  /** Reads an X.509 PEM public key and returns its encoded bytes (checked to be Ed25519). */
  public static byte[] readPublic(Path file) throws IOException {
    byte[] der = unpem(file, "PUBLIC KEY");
    publicKey(der, file.toString());
    return der;
  }

  /** The public keys in {@code files}, X.509-encoded. */
  public static List<byte[]> readPublic(List<Path> files) throws IOException {
    List<byte[]> keys = new java.util.ArrayList<>();
    for (Path f : files) {
      keys.add(readPublic(f));
    }
    return keys;
  }

  static PublicKey publicKey(byte[] x509, String what) throws IOException {
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(x509));
    } catch (GeneralSecurityException e) {
      throw new IOException(what + " is not an Ed25519 public key (X.509): " + e.getMessage());
    }
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static byte[] unpem(Path file, String type) throws IOException {
    if (!Files.isReadable(file)) {
      throw new IOException("key file " + file + " is not readable");
    }
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    if (from < 0 || to < from) {
      throw new IOException(file + " has no " + begin + " block");
    }
    String body =
        text.substring(from + begin.length(), to)
            .lines()
            .map(String::strip)
            .collect(Collectors.joining());
    try {
      return Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": the PEM body is not base64");
    }
  }
}
