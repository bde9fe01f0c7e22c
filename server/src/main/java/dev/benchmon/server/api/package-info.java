/**
 * The JSON API under {@code /api/v1} ({@code POST /results}; {@code GET /snapshots}, {@code /history},
 * {@code /trends}, {@code /compare}, {@code /regressions}, {@code /meta}), {@code /health} and
 * {@code /metrics}: plain-function handlers over the toolkit, token checks, request ids and metrics.
 */
package dev.benchmon.server.api;
