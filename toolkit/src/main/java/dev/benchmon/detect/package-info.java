/**
 * Detection: regressions of the latest run of each series against a baseline, direction-aware,
 * computed by the SQL function {@code detect_regressions} so that SQL users and Java users get the
 * same verdicts.
 */
package dev.benchmon.detect;
