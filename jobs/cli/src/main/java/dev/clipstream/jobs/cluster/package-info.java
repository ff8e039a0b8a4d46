/**
 * A local multi-process cluster that the project starts itself from Maven Central artifacts: a
 * Flink standalone session cluster (one JobManager, TaskManagers, each its own JVM) and a
 * three-node Kafka KRaft cluster, plus the JobManager's REST API as a user drives it (upload the
 * job jar, run, stop with a savepoint). What {@code clipstream cluster up|down|status} and the
 * cluster tests use.
 */
package dev.clipstream.jobs.cluster;
