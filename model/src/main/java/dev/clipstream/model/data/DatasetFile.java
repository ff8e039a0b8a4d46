package dev.clipstream.model.data;

import java.util.Set;

/**
 * One file of a dataset and the MD5 digests that make it genuine: the publisher's digest of the
 * compressed file, and the digest of its decompressed content (which survives recompression, as
 * Debian's package does).
 */
public record DatasetFile(String name, Set<String> md5s) {}
