package dev.benchmon.server.support;

/**
 * Options for the JVMs the tests start as child processes (a command, a server, a second opener of an embedded
 * database): each lives a few seconds, so the C2 compiler's warm-up is CPU it never pays back, and on CI's 2 cores it
 * competes with the test JVMs and PostgreSQL. C1 only and the serial collector cut a child's CPU by about 40%
 * (a `push --home` of one result: 5.3 -> 3.3 s of CPU, 2026-12-06), as the launcher does for short commands.
 */
public final class ChildJvm {
    /** C1 only: compiled code sooner, no C2 compiler threads. */
    public static final String C1_ONLY = "-XX:TieredStopAtLevel=1";
    /** The serial collector: no parallel or concurrent GC threads for a small heap. */
    public static final String SERIAL_GC = "-XX:+UseSerialGC";

    private ChildJvm() {
    }
}
