/**
 * benchmon: track machine-learning benchmark results over time in PostgreSQL.
 *
 * <p>Start at {@link dev.benchmon.Benchmon}: {@code Benchmon.open()} for notebooks and JShell.
 * Values ({@link dev.benchmon.BenchmarkResult}, {@link dev.benchmon.Filter},
 * {@link dev.benchmon.RegressionOptions}) and the exception hierarchy rooted at
 * {@link dev.benchmon.BenchmonException} live here, and the wording every message shares (how a result is named,
 * {@link dev.benchmon.ResultPlace}; a word quoted for a shell in a suggested command, {@link dev.benchmon.ShellWord});
 * the work is done in the sub-packages
 * {@code db}, {@code ingest}, {@code query}, {@code detect} and {@code chart}.
 */
package dev.benchmon;
