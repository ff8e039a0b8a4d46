package dev.clipstream.model.weights;

/** A weights file that is not valid safetensors, with a message a person can act on. */
public class SafeTensorsFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SafeTensorsFormatException(String message) {
    super(message);
  }

  public SafeTensorsFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
