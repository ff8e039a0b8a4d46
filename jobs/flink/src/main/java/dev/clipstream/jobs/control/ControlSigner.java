package dev.clipstream.jobs.control;

import dev.clipstream.schemas.ControlSignature;
import dev.clipstream.schemas.LabelSetDefinition;
import dev.clipstream.schemas.ModelUpdate;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;

/**
 * Signs control messages with one Ed25519 private key: {@code model publish}, {@code labels
 * publish} and the continual-training job hold one of these.
 */
public final class ControlSigner {

  private final PrivateKey key;
  private final String keyId;

  private ControlSigner(PrivateKey key, String keyId) {
    this.key = key;
    this.keyId = keyId;
  }

  /** A signer for a key pair's private half. */
  public static ControlSigner of(PrivateKey key, PublicKey publicKey) {
    return new ControlSigner(key, ControlKeys.keyId(publicKey));
  }

  /**
   * A signer for the PKCS#8 PEM private key in {@code file}; its public half (and so the key id) is
   * derived from it.
   */
  public static ControlSigner load(Path file) throws IOException {
    PrivateKey key = ControlKeys.readPrivate(file);
    return new ControlSigner(key, ControlKeys.keyId(publicOf(key)));
  }

  /** The id of the key this signer signs with. */
  public String keyId() {
    return keyId;
  }

  /** {@code update} with its signature set. */
  public ModelUpdate sign(ModelUpdate update) {
    update.setSignature(null);
    update.setSignature(signature(SignedContent.of(update)));
    return update;
  }

  /** {@code definition} with its signature set. */
  public LabelSetDefinition sign(LabelSetDefinition definition) {
    definition.setSignature(null);
    definition.setSignature(signature(SignedContent.of(definition)));
    return definition;
  }

  private ControlSignature signature(byte[] content) {
    try {
      Signature ed25519 = Signature.getInstance(ControlKeys.ALGORITHM);
      ed25519.initSign(key);
      ed25519.update(content);
      return new ControlSignature(keyId, ByteBuffer.wrap(ed25519.sign()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed: " + e.getMessage(), e);
    }
  }

  /** Derives an Ed25519 public key from its private key (RFC 8032: the key is a seed). */
  private static PublicKey publicOf(PrivateKey key) throws IOException {
    if (!(key instanceof EdECPrivateKey ed) || ed.getBytes().isEmpty()) {
      throw new IOException("not an Ed25519 private key");
    }
    // The JDK has no public API from seed to public key; a generator seeded with the private
    // key's bytes as its "random" source makes exactly that key pair.
    try {
      java.security.KeyPairGenerator generator =
          java.security.KeyPairGenerator.getInstance(ControlKeys.ALGORITHM);
      byte[] seed = ed.getBytes().get();
      generator.initialize(java.security.spec.NamedParameterSpec.ED25519, new FixedSeed(seed));
      PublicKey derived = generator.generateKeyPair().getPublic();
      // Prove the pair: a JDK whose generator drew its seed differently would derive another key.
      byte[] probe = "clipstream key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(ControlKeys.ALGORITHM);
      signer.initSign(key);
      signer.update(probe);
      Signature verifier = Signature.getInstance(ControlKeys.ALGORITHM);
      verifier.initVerify(derived);
      verifier.update(probe);
      if (!verifier.verify(signer.sign())) {
        throw new IOException("cannot derive the public key of this private key on this JDK");
      }
      return derived;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot derive the public key: " + e.getMessage(), e);
    }
  }

  /** A "random" source that yields one fixed seed: deterministic key derivation. */
  private static final class FixedSeed extends java.security.SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] seed;

    FixedSeed(byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    public void nextBytes(byte[] bytes) {
      System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
    }
  }
}
