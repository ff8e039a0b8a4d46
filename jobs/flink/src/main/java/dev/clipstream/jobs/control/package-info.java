/**
 * The tagging job's control plane: label-set definitions and model updates read from their Kafka
 * topics, checked, broadcast to every encoder; and the model store that confines and verifies the
 * weight files an update points to.
 */
package dev.clipstream.jobs.control;
