/**
 * Tests of the notebooks and the JShell startup script, run against the self-contained toolkit jar
 * after packaging (maven-failsafe, {@code mvn verify}): real {@code jshell} processes on an
 * embedded database in a temporary home. The notebooks run in Jupyter in the kernel module's tests.
 */
package dev.benchmon.notebooks;
