package dev.benchmon.server.cli;

/**
 * A metric of a series, as the push summary matches a pushed run's regression with the alerts of the push.
 *
 * @param series {@code model / dataset / prompt @environment}, as results and alerts label their series
 * @param metric the metric's name
 */
record SeriesMetric(String series, String metric) {
}
