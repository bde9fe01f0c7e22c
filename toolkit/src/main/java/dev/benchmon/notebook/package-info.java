/**
 * Rich output for notebooks (IJava and any kernel that shows {@code text/html}): query tables as
 * HTML tables and charts as interactive Plotly figures, with Plotly.js loaded offline from the
 * toolkit jar. Nothing here depends on a kernel: each method returns an HTML string, and the
 * notebook passes it to the kernel's display function, e.g. IJava's
 * {@code display(Notebook.html(table), "text/html")}.
 */
package dev.benchmon.notebook;
