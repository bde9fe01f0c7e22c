/**
 * Database: where results live. Resolves connection settings (environment, JDBC URL, embedded
 * home), starts or attaches to the embedded PostgreSQL, owns the connection pool and Jdbi, and
 * applies the schema from {@code sql/} with Flyway. Nothing here knows what a benchmark is.
 */
package dev.benchmon.db;
