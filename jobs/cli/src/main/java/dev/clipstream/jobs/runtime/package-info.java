/** The embedded runtime: a real Kafka broker and a Flink MiniCluster in one process. */
package dev.clipstream.jobs.runtime;
