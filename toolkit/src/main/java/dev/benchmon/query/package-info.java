/**
 * Queries: snapshots, history, trends, comparisons and metadata, each answered from the snapshot
 * table or through the log's per-series indexes, and returned as Tablesaw tables with typed
 * columns (instants as {@code InstantColumn}, metrics as {@code DoubleColumn}).
 *
 * <p>Queries read the log through the view {@code benchmark_transactions} (the log with its series'
 * names), except where a row is already known by id and time: a snapshot's run is joined to
 * {@code benchmark_log} by id <em>and</em> {@code run_at}, so that only the month partition holding it
 * is probed (by id alone, every month's primary key would be), and LEFT, so that a series whose
 * latest run lies in a detached month still shows.
 */
package dev.benchmon.query;
