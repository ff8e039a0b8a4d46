package dev.clipstream.schemas.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * A decoder that refuses a string that is not valid UTF-8. Avro itself turns malformed bytes into
 * U+FFFD without a word, so a caption or id with broken bytes would pass on silently changed; this
 * decoder makes such a payload a typed wire error instead. Every other read is passed through.
 */
final class Utf8CheckingDecoder extends Decoder {

  /** Thrown when a string field holds bytes that are not UTF-8. */
  static final class InvalidUtf8Exception extends IOException {
    private static final long serialVersionUID = 1L;

    InvalidUtf8Exception(String message) {
      super(message);
    }
  }

  private final Decoder in;
  private final CharsetDecoder utf8 =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);

  Utf8CheckingDecoder(Decoder in) {
    this.in = in;
  }

  @Override
  public Utf8 readString(Utf8 old) throws IOException {
    Utf8 s = in.readString(old);
    check(s);
    return s;
  }

  @Override
  public String readString() throws IOException {
    Utf8 s = in.readString(null);
    return check(s);
  }

  private String check(Utf8 s) throws IOException {
    try {
      CharBuffer chars = utf8.reset().decode(ByteBuffer.wrap(s.getBytes(), 0, s.getByteLength()));
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw new InvalidUtf8Exception(
          "has a string field that is not valid UTF-8 (" + s.getByteLength() + " bytes)");
    }
  }

  @Override
  public void readNull() throws IOException {
    in.readNull();
  }

  @Override
  public boolean readBoolean() throws IOException {
    return in.readBoolean();
  }

  @Override
  public int readInt() throws IOException {
    return in.readInt();
  }

  @Override
  public long readLong() throws IOException {
    return in.readLong();
  }

  @Override
  public float readFloat() throws IOException {
    return in.readFloat();
  }

  @Override
  public double readDouble() throws IOException {
    return in.readDouble();
  }

  @Override
  public void skipString() throws IOException {
    in.skipString();
  }

  @Override
  public ByteBuffer readBytes(ByteBuffer old) throws IOException {
    return in.readBytes(old);
  }

  @Override
  public void skipBytes() throws IOException {
    in.skipBytes();
  }

  @Override
  public void readFixed(byte[] bytes, int start, int length) throws IOException {
    in.readFixed(bytes, start, length);
  }

  @Override
  public void skipFixed(int length) throws IOException {
    in.skipFixed(length);
  }

  @Override
  public int readEnum() throws IOException {
    return in.readEnum();
  }

  @Override
  public long readArrayStart() throws IOException {
    return in.readArrayStart();
  }

  @Override
  public long arrayNext() throws IOException {
    return in.arrayNext();
  }

  @Override
  public long skipArray() throws IOException {
    return in.skipArray();
  }

  @Override
  public long readMapStart() throws IOException {
    return in.readMapStart();
  }

  @Override
  public long mapNext() throws IOException {
    return in.mapNext();
  }

  @Override
  public long skipMap() throws IOException {
    return in.skipMap();
  }

  @Override
  public int readIndex() throws IOException {
    return in.readIndex();
  }
}
