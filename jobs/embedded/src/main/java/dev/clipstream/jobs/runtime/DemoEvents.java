package dev.clipstream.jobs.runtime;

import dev.clipstream.schemas.ImageEvent;
import java.util.Optional;

/** What the demo streams: event n, and its true label when one is known. */
public interface DemoEvents {
  ImageEvent event(long n);

  Optional<String> label(long n);
}
