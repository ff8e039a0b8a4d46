package dev.clipstream.jobs.control;

import dev.clipstream.schemas.ControlSignature;
import java.io.IOException;
import java.io.Serializable;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The public keys a tagging job accepts control messages from, by key id. Several at once, so that
 * a key is rotated by trusting the new one, moving the publishers over, then dropping the old one.
 */
public final class TrustedKeys implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What a signature check found. */
  public enum Verdict {
    VALID,
    UNSIGNED,
    UNTRUSTED_KEY,
    FORGED
  }

  private final List<byte[]> encoded;
  private transient Map<String, PublicKey> byId;

  /** Trusts the X.509-encoded Ed25519 public keys (checked here, so a bad one fails the setup). */
  public TrustedKeys(List<byte[]> x509Keys) {
    this.encoded = x509Keys.stream().map(byte[]::clone).toList();
    keys();
  }

  public static TrustedKeys none() {
    return new TrustedKeys(List.of());
  }

  public boolean isEmpty() {
    return encoded.isEmpty();
  }

  /** Two sets trust the same keys (so two ways of configuring a job can be compared). */
  @Override
  public boolean equals(Object o) {
    return o instanceof TrustedKeys other && ids().equals(other.ids());
  }

  @Override
  public int hashCode() {
    return ids().hashCode();
  }

  /** The ids of the trusted keys. */
  public java.util.Set<String> ids() {
    return keys().keySet();
  }

  /** Checks {@code signature} over {@code content}. */
  public Verdict verify(byte[] content, ControlSignature signature) {
    if (signature == null) {
      return Verdict.UNSIGNED;
    }
    PublicKey key = keys().get(signature.getKeyId().toString());
    if (key == null) {
      return Verdict.UNTRUSTED_KEY;
    }
    try {
      Signature ed25519 = Signature.getInstance(ControlKeys.ALGORITHM);
      ed25519.initVerify(key);
      ed25519.update(content);
      byte[] value = new byte[signature.getSignature().remaining()];
      signature.getSignature().duplicate().get(value);
      return ed25519.verify(value) ? Verdict.VALID : Verdict.FORGED;
    } catch (GeneralSecurityException e) {
      // A malformed signature (wrong length, not a point) is as good as a forged one.
      return Verdict.FORGED;
    }
  }

  private synchronized Map<String, PublicKey> keys() {
    if (byId == null) {
      Map<String, PublicKey> keys = new HashMap<>();
      for (byte[] x509 : encoded) {
        try {
          keys.put(ControlKeys.keyId(x509), ControlKeys.publicKey(x509, "a trusted key"));
        } catch (IOException e) {
          throw new IllegalArgumentException(e.getMessage(), e);
        }
      }
      byId = keys;
    }
    return byId;
  }
}
