/** How events travel on Kafka: Avro single-object encoding, a schema catalog, typed errors. */
package dev.clipstream.schemas.wire;
