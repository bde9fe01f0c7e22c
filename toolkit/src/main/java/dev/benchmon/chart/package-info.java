/**
 * Charts: tablesaw-jsplot (Plotly) figures built from the query tables: trends with min/max
 * bands, comparison bars with error bars, cost/quality scatter with its Pareto front, and a
 * regression's history against its baseline. Every user-supplied string (model names, hover text)
 * reaches the page JSON-encoded, exactly as written and never as HTML; the Plotly script location
 * is always the caller's (no CDN). Rendering shares one Pebble engine among jsplot's components
 * ({@code SharedTemplates}), so its templates are compiled once per process.
 */
package dev.benchmon.chart;
