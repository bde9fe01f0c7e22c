/**
 * Queries: snapshots, history, trends, comparisons and metadata, each answered from the snapshot
 * table or through the log's per-series indexes, and returned as Tablesaw tables with typed
 * columns (instants as {@code InstantColumn}, metrics as {@code DoubleColumn}).
 *
 * <p>Queries read the log through the view {@code benchmark_transactions} (the log with its series'
 * names). A snapshot holds its latest run's provider, commit, branch and run id (V17); the run's log row is
 * joined by id and {@code run_at} only for a tags filter ({@code SnapshotQuery.FROM_SNAPSHOTS_WITH_RUN}).
 */
package dev.benchmon.query;
