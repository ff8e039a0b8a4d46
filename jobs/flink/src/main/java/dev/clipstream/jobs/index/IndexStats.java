package dev.clipstream.jobs.index;

import java.util.Map;

/**
 * What the visible commit holds: documents, distinct events, and documents per model version (one
 * per event a model encoded; a re-embedded event counts under each of its versions).
 */
public record IndexStats(
    long commit, int documents, int events, Map<String, Integer> perModelVersion) {}
