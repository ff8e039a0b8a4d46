/**
 * {@code clipstream soak}: the tagging job under steady load on the embedded runtime for a while,
 * with the process's heap, resident memory and open files sampled once a second; it fails when
 * resident memory keeps growing after the warm-up (leaked native arrays are the classic cause).
 */
package dev.clipstream.jobs.soak;
