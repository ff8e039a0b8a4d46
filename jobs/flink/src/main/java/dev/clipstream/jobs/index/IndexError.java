package dev.clipstream.jobs.index;

/** An index that cannot be opened or a query it cannot answer: the message is one line to show. */
public final class IndexError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public IndexError(String message) {
    super(message);
  }

  public IndexError(String message, Throwable cause) {
    super(message, cause);
  }
}
