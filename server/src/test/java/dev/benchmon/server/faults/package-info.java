/** Fault tests: the embedded PostgreSQL or the server JVM killed with -9, and what must survive it. */
package dev.benchmon.server.faults;
