package dev.benchmon.chart;

import tech.tablesaw.plotly.components.Figure;

import java.util.concurrent.atomic.AtomicLong;

/** HTML for figures: a fragment to place in a page, or a standalone page. Never refers to a CDN. */
public final class ChartHtml {
    private static final AtomicLong IDS = new AtomicLong();

    private ChartHtml() {
    }

    /** A {@code <div>} and the {@code <script>} that draws the figure into it (Plotly must already be loaded). */
    public static String fragment(Figure figure, String divId) {
        if (!divId.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("div id must be a plain identifier, got '" + divId + "'");
        }
        return figure.divString(divId) + figure.asJavascript(divId);
    }

    /** A fragment with a fresh div id. */
    public static String fragment(Figure figure) {
        return fragment(figure, "benchmon_chart_" + IDS.incrementAndGet());
    }

    /**
     * A complete HTML page that loads Plotly from {@code plotlyJsLocation} (a URL or path you serve,
     * e.g. {@code /assets/plotly.min.js}; Plotly.js 2.x) and draws the figure.
     */
    public static String page(Figure figure, String title, String plotlyJsLocation) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
                + escapeHtml(title) + "</title>\n<script src=\"" + escapeHtml(plotlyJsLocation) + "\"></script>\n"
                + "</head>\n<body>\n" + fragment(figure, "chart") + "\n</body>\n</html>\n";
    }

    /** {@code s} with the five HTML-special characters escaped, for text and attribute values. */
    public static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
