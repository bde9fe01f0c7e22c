/**
 * Queries: snapshots, history, trends, comparisons and metadata, each answered from the snapshot
 * table or through the log's per-series indexes, and returned as Tablesaw tables with typed
 * columns (instants as {@code InstantColumn}, metrics as {@code DoubleColumn}).
 *
 * <p>Queries read the log through the view {@code benchmark_transactions} (the log with its series'
 * names), except where a row is already known by id and time: a snapshot's run is joined to
 * {@code benchmark_log} by id and {@code run_at} ({@code SnapshotQuery.FROM_SNAPSHOTS_WITH_RUN}).
 */
package dev.benchmon.query;
