/**
 * Ingest: reading results (JSON, JSON Lines, CSV), validating them field by field, deriving
 * idempotency keys, and writing batches atomically through the SQL function
 * {@code upsert_benchmark_results}. Nothing here queries or presents data.
 */
package dev.benchmon.ingest;
