package dev.benchmon.chart;

import dev.benchmon.Arguments;
import tech.tablesaw.plotly.components.Figure;

import java.util.concurrent.atomic.AtomicLong;

/**
 * HTML for figures: a fragment to place in a page that has loaded Plotly.js, or a standalone page that loads Plotly.js
 * from the location its caller gives ({@link #page}: a path the caller's server serves, or a URL, which may be a
 * CDN's; this class names no location of its own). For a page that carries Plotly.js itself and needs no network, use
 * {@link dev.benchmon.notebook.Notebook#page(Figure, String) Notebook.page(figure, title)} (or
 * {@link dev.benchmon.notebook.Notebook#pageFile(Figure, String) Notebook.pageFile(figure, title)} for a file).
 */
public final class ChartHtml {
    private static final AtomicLong IDS = new AtomicLong();

    private ChartHtml() {
    }

    /** A {@code <div>} and the {@code <script>} that draws the figure into it (Plotly must already be loaded). */
    public static String fragment(Figure figure, String divId) {
        if (!divId.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("div id must be a plain identifier, got '" + divId + "'");
        }
        SharedTemplates.share(figure); // a plain jsplot Figure too (a SafeFigure shares as it renders)
        return figure.divString(divId) + figure.asJavascript(divId);
    }

    /** A fragment with a fresh div id. */
    public static String fragment(Figure figure) {
        return fragment(figure, "benchmon_chart_" + IDS.incrementAndGet());
    }

    /**
     * A complete HTML page that loads Plotly from {@code plotlyJsLocation} and draws the figure.
     *
     * @param title            the page's title; {@code null} for {@code benchmon chart}, as
     *                         {@link dev.benchmon.notebook.Notebook#page(Figure, String)} has it
     * @param plotlyJsLocation where the page's {@code <script src>} loads Plotly.js 2.x from: a path you serve
     *                         ({@code /assets/plotly.min.js}) or a URL
     * @throws dev.benchmon.InvalidArgumentException naming {@code figure} when it is {@code null}, or
     *                                               {@code plotlyJsLocation} when it is {@code null} or blank (the
     *                                               message points to {@code Notebook.page(figure, title)}, which
     *                                               needs no location)
     */
    public static String page(Figure figure, String title, String plotlyJsLocation) {
        Arguments.required(figure, "figure");
        if (plotlyJsLocation == null || plotlyJsLocation.isBlank()) {
            throw Arguments.refused("plotlyJsLocation", (plotlyJsLocation == null ? "must not be null" : "must not be blank")
                    + "; give the URL or path your page loads Plotly.js 2.x from (e.g. /assets/plotly.min.js), or call "
                    + "Notebook.page(figure, title) for a page with Plotly.js inside that needs no network "
                    + "(Notebook.pageFile(figure, title) writes it to a file)");
        }
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
                + escapeHtml(title == null ? "benchmon chart" : title) + "</title>\n<script src=\"" + escapeHtml(plotlyJsLocation) + "\"></script>\n"
                + "</head>\n<body>\n" + fragment(figure, "chart") + "\n</body>\n</html>\n";
    }

    /** {@code s} with the five HTML-special characters escaped, for text and attribute values. */
    public static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
