package dev.clipstream.jobs.io;

import dev.clipstream.schemas.ImageEvent;
import java.io.Serializable;
import java.util.Optional;

/**
 * The checks an event passes before its image is decoded (stage {@code VALIDATE}), and how a blank
 * caption is read: as no caption, since an empty text has no meaning to compare an image with.
 */
public record EventLimits(int maxCaptionChars) implements Serializable {

  /**
   * CLIP reads 77 tokens of a caption (its context length) and a token covers a few characters, so
   * 4,096 characters is far more than the encoder ever sees; a longer caption is not a caption but
   * a mistake or an attack, and tokenizing a megabyte would stall the batch it lands in. Captions
   * between 77 tokens and this limit are cut to 77 tokens, as OpenAI's {@code
   * clip.tokenize(truncate=True)} does.
   */
  public static final int DEFAULT_MAX_CAPTION_CHARS = 4096;

  public EventLimits {
    if (maxCaptionChars < 1) {
      throw new IllegalArgumentException("the caption limit must be positive");
    }
  }

  /** The default limits. */
  public static EventLimits defaults() {
    return new EventLimits(DEFAULT_MAX_CAPTION_CHARS);
  }

  /** Why {@code event} is refused, in one line; empty if it passes. */
  public Optional<String> refusal(ImageEvent event) {
    String caption = event.getCaption();
    if (caption != null && caption.length() > maxCaptionChars) {
      return Optional.of(
          "the caption has "
              + caption.length()
              + " characters, over the limit of "
              + maxCaptionChars
              + " (CLIP reads at most 77 tokens of it)");
    }
    return Optional.empty();
  }

  /** The event as the pipeline reads it: a blank caption becomes no caption. */
  public static ImageEvent normalise(ImageEvent event) {
    if (event.getCaption() != null && event.getCaption().isBlank()) {
      event.setCaption(null);
    }
    return event;
  }
}
