package dev.benchmon.ingest;

/**
 * A reader of results from a file that knows where each result is written: so that a problem of a result names the
 * file's line ({@code line 5: result 4, results[3].run_at: ...}) beside its index among the results, as syntax errors name lines.
 */
public interface ResultLines {
    /** The line (1-based, blank lines counted) the result returned last starts on; 0 before the first. */
    long line();
}
