/**
 * The search index: a Lucene index of the tagging job's results (HNSW vectors per model version,
 * labels, times), written by a Flink sink whose Lucene commits follow Flink's checkpoints, and read
 * by {@link dev.clipstream.jobs.index.IndexSearch} with no Flink. See docs/search.md.
 */
package dev.clipstream.jobs.index;
