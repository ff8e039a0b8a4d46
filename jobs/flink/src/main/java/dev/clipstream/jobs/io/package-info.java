/** Kafka at the edges of the jobs: raw records in, Avro records out, decoding and dead letters. */
package dev.clipstream.jobs.io;
