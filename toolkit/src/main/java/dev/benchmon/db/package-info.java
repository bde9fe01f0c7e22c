/**
 * Database: where results live. Resolves connection settings (environment, JDBC URL, embedded
 * home), starts or attaches to the embedded PostgreSQL, owns the connection pool and Jdbi, and
 * applies the schema from {@code sql/} with Flyway; keeps the planner fresh (statistics after bulk loads, generic
 * plans for the write path's statements). Nothing here knows what a benchmark is.
 */
package dev.benchmon.db;
