/**
 * How the jobs start on a Flink cluster: the entry points that {@code flink run} and the Flink
 * Kubernetes operator call, and the one reading of the configuration keys they share with the
 * {@code clipstream job} command line.
 */
package dev.clipstream.jobs.deploy;
