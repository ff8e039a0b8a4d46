/**
 * The web page of a running pipeline ({@code clipstream ui}, and {@code clipstream demo}): a live
 * gallery of the latest results read from the results topic, thumbnails from the input topic,
 * search through the index, versions, throughput and latency over time and the dead letters with
 * their reasons; one-line errors as JSON.
 */
package dev.clipstream.jobs.ui;
