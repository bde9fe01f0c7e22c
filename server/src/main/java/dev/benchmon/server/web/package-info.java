/**
 * The web dashboard: server-rendered Pebble pages (HTML autoescaping on) for the current snapshot,
 * performance trends, model comparison and regression detection, built only on the toolkit's
 * queries and charts. Filters live in the URL; Plotly.js is served from its webjar.
 */
package dev.benchmon.server.web;
