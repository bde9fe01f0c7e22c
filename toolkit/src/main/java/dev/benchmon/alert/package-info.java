/**
 * Alerts people act on: the detector's findings become {@link dev.benchmon.alert.Alert} rows with a
 * state (open, acknowledged, expected, resolved, muted) whose changes are appended, never overwritten;
 * {@link dev.benchmon.alert.Annotations} marks runs excluded or annotated and mutes series without
 * touching the log; {@link dev.benchmon.alert.Notifier} sends a signed JSON webhook and a
 * Slack-compatible message per push. The detector feeds it through one entry point,
 * {@link dev.benchmon.alert.Alerts#onFindings(org.jdbi.v3.core.Handle, java.util.List)}.
 * Every write goes through the SECURITY DEFINER functions of {@code sql/migrations/R__alert_functions.sql}.
 */
package dev.benchmon.alert;
