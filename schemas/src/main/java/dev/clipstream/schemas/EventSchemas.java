package dev.clipstream.schemas;

import java.util.List;
import org.apache.avro.Schema;

/** Every record type clipstream puts on Kafka, for listing and for the schema catalog. */
public final class EventSchemas {
  private EventSchemas() {}

  /** The current schema of each top-level event type. */
  public static List<Schema> all() {
    return List.of(
        ImageEvent.getClassSchema(),
        TagResult.getClassSchema(),
        ModelUpdate.getClassSchema(),
        LabelSetDefinition.getClassSchema(),
        DeadLetter.getClassSchema());
  }
}
