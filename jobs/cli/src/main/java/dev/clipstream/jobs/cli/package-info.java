/** The clipstream command line: picocli commands that wire the model and the jobs together. */
package dev.clipstream.jobs.cli;
