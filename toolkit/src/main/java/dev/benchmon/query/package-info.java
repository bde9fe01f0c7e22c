/**
 * Queries: snapshots, history, trends, comparisons and metadata, each answered from the snapshot
 * table or through the log's per-series indexes, and returned as Tablesaw tables with typed
 * columns (instants as {@code InstantColumn}, metrics as {@code DoubleColumn}).
 */
package dev.benchmon.query;
