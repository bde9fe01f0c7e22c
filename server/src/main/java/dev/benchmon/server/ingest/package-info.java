/**
 * Recording a batch of results and judging each against its series' baseline: shared by
 * {@code POST /api/v1/results} and {@code benchmon push --db}, with the JSON form of the report that
 * the server sends and the push client reads.
 */
package dev.benchmon.server.ingest;
