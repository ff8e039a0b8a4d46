/**
 * The output formats of the results and dead-letter topics besides single-object Avro: Confluent's
 * wire format (a schema id from a schema registry, then Avro binary) and plain JSON, a client of a
 * Confluent-compatible registry, and a reader that tells the formats apart by their first byte. See
 * docs/output-formats.md.
 */
package dev.clipstream.schemas.format;
