package dev.clipstream.schemas.format;

/**
 * A schema registry could not be reached, or refused a request; the message is one line naming the
 * registry, the request and its answer.
 */
public final class SchemaRegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  SchemaRegistryException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status the registry answered, or 0 when no answer came. */
  public int status() {
    return status;
  }
}
