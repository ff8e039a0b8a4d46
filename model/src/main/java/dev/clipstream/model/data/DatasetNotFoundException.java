package dev.clipstream.model.data;

/** No place in the lookup order had a genuine copy of a dataset; the message lists each try. */
public final class DatasetNotFoundException extends java.io.IOException {
  private static final long serialVersionUID = 1L;

  public DatasetNotFoundException(String message) {
    super(message);
  }
}
