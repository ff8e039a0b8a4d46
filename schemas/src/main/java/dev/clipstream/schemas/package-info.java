/** The events on the wire: Avro schemas (generated classes) and their list. */
package dev.clipstream.schemas;
