/**
 * The server's side of alerts: settings (webhooks, links, the triage token), the triage check, and
 * the API endpoints under {@code /api/v1/alerts}, {@code /api/v1/runs/{id}/annotations} and
 * {@code /api/v1/series/{id}/mutes}. The records and their rules live in the toolkit's
 * {@code dev.benchmon.alert}.
 */
package dev.benchmon.server.alert;
