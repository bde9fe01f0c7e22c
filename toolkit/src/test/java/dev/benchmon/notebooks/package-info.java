/**
 * Tests of the notebooks and the JShell startup script, run against the self-contained toolkit jar
 * after packaging (maven-failsafe, {@code mvn verify}): real {@code jshell} processes and the
 * notebooks' cells through the JShell API, each on an embedded database in a temporary home.
 */
package dev.benchmon.notebooks;
