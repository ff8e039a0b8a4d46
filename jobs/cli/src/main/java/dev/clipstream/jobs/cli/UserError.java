package dev.clipstream.jobs.cli;

/** Bad input from the user (a flag, a file): printed as one line, no stack trace. */
public final class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserError(String message) {
    super(message);
  }

  public UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
