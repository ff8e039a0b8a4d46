package dev.clipstream.jobs.ui;

/** A request the page cannot answer, with the one line it shows and the HTTP status. */
final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  ApiError(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }
}
