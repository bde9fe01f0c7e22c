package dev.benchmon.notebook;

import dev.benchmon.chart.ChartHtml;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTML for notebook output cells. Kernel-neutral: pass the strings to your kernel's display
 * function. With IJava:
 *
 * <pre>{@code
 * display(Notebook.plotlyScript(), "text/html");          // once per page: Plotly.js, offline
 * display(Notebook.html(bm.latestSnapshots()), "text/html");
 * display(Notebook.html(Charts.trend(bm.timeSeries("medgemma-v1.2", "f1", Duration.ofDays(30)))), "text/html");
 * }</pre>
 */
public final class Notebook {
    /** Rows an HTML table shows unless told otherwise. */
    public static final int DEFAULT_MAX_ROWS = 50;

    /** Found in the HTML of {@link #plotlyScript()} only: a kernel can tell that Plotly.js is in the page. */
    public static final String PLOTLY_MARKER = "benchmon-plotly";
    /** Found in the HTML of a chart ({@link #html(Figure)}) only. */
    public static final String CHART_MARKER = "benchmon_nb_";

    private static final AtomicLong IDS = new AtomicLong();
    // Each JVM gets its own prefix so charts from a restarted kernel never reuse an id on the page.
    private static final String ID_PREFIX = CHART_MARKER + Long.toString(System.nanoTime() & 0xffffffL, 36) + "_";

    private Notebook() {
    }

    /** The table as an HTML table (the first {@value #DEFAULT_MAX_ROWS} rows). */
    public static String html(Table table) {
        return TableHtml.of(table, DEFAULT_MAX_ROWS);
    }

    /** The table as an HTML table, showing at most {@code maxRows} rows. */
    public static String html(Table table, int maxRows) {
        return TableHtml.of(table, maxRows);
    }

    /**
     * The figure as a {@code <div>} and a script that draws it as soon as Plotly.js is in the page
     * (see {@link #plotlyScript()}); if Plotly never arrives, the div says how to load it.
     *
     * @throws dev.benchmon.InvalidArgumentException naming {@code figure} when it is {@code null}
     */
    public static String html(Figure figure) {
        dev.benchmon.Arguments.required(figure, "figure");
        String id = ID_PREFIX + IDS.incrementAndGet();
        String fragment = ChartHtml.fragment(figure, id);
        int scriptStart = fragment.indexOf("<script>");
        int scriptEnd = fragment.lastIndexOf("</script>");
        if (scriptStart < 0 || scriptEnd < scriptStart) {
            throw new IllegalStateException("unexpected chart fragment: no <script> element");
        }
        String div = fragment.substring(0, scriptStart);
        String draw = fragment.substring(scriptStart + "<script>".length(), scriptEnd);
        // Notebook front ends may run the script before the output is attached to the page, and
        // Plotly may still be unpacking: wait for both, then draw.
        return div + "<script>\n(function () {\n  var tries = 0;\n  function draw() {\n" + draw + "\n  }\n"
                + "  (function wait() {\n"
                + "    if (window.Plotly && document.getElementById('" + id + "')) { draw(); return; }\n"
                + "    if (++tries < 300) { setTimeout(wait, 100); return; }\n"
                + "    var div = document.getElementById('" + id + "');\n"
                + "    if (div) { div.textContent = 'Plotly.js is not loaded in this page: run "
                + "display(Notebook.plotlyScript(), \"text/html\") and then this cell again.'; }\n"
                + "  })();\n})();\n</script>\n";
    }

    /**
     * A script element that puts Plotly.js (from the toolkit's class path; no network) into the
     * page once; later calls in the same page do nothing. Display it once per notebook, before the
     * first chart. Works with and without an AMD loader (classic Notebook's require.js).
     */
    public static String plotlyScript() {
        String version = PlotlyJs.version();
        return "<div class=\"benchmon-plotly\"><small>Plotly.js " + version
                + " loaded from the benchmon toolkit (offline)</small></div>\n<script>\n(function () {\n"
                + "  if (window.Plotly || window.benchmonPlotlyLoading) { return; }\n"
                + "  window.benchmonPlotlyLoading = true;\n"
                + "  var packed = '" + PlotlyJs.gzipBase64() + "';\n"
                + "  var bytes = Uint8Array.from(atob(packed), function (c) { return c.charCodeAt(0); });\n"
                + "  var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));\n"
                + "  new Response(stream).text().then(function (source) {\n"
                + "    var script = document.createElement('script');\n"
                // Hide an AMD define so the bundle sets window.Plotly instead of registering a module.
                + "    script.textContent = '(function (define, exports, module) {\\n' + source + '\\n})();';\n"
                + "    document.head.appendChild(script);\n"
                + "  }).catch(function (e) {\n"
                + "    window.benchmonPlotlyLoading = false;\n"
                + "    console.error('benchmon: could not unpack Plotly.js', e);\n"
                + "  });\n})();\n</script>\n";
    }

    /**
     * A self-contained HTML page showing the figure: Plotly.js inside (from the jar, packed), no
     * network needed. For {@code open(figure)} in JShell, or to mail a chart.
     *
     * @throws dev.benchmon.InvalidArgumentException naming {@code figure} when it is {@code null}
     */
    public static String page(Figure figure, String title) {
        dev.benchmon.Arguments.required(figure, "figure");
        String t = ChartHtml.escapeHtml(title == null ? "benchmon chart" : title);
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + t + "</title>\n"
                + "</head>\n<body style=\"font-family:sans-serif\">\n" + plotlyScript() + html(figure) + "</body>\n</html>\n";
    }

    /**
     * {@link #page(Figure, String)} written to a new file {@code benchmon-chart-*.html} in the temporary folder, for
     * {@code open(figure)} to hand to the browser. The file is deleted when this JVM exits: each page carries Plotly.js
     * (about 3 MB), and a session's charts were left behind for good. Not sooner: the browser reads the file after
     * {@code open} has returned, and a reload of the tab reads it again while the session runs.
     *
     * @return the file's path
     * @throws dev.benchmon.InvalidArgumentException naming {@code figure} when it is {@code null} (no file is made)
     * @throws java.io.UncheckedIOException when the file cannot be written
     */
    public static Path pageFile(Figure figure, String title) {
        String page = page(figure, title); // before any file is made
        try {
            Path file = Files.createTempFile("benchmon-chart-", ".html");
            file.toFile().deleteOnExit();
            Files.writeString(file, page);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@link #page(Figure, String)} written to {@code file} (replaced if it exists) and kept: for a chart to mail, to
     * keep beside a report, or to open from a session without a browser ({@code save(figure, "chart.html")} in JShell).
     *
     * @return the file's absolute path
     * @throws dev.benchmon.InvalidArgumentException naming {@code figure} or {@code file} when it is {@code null}
     * @throws java.io.UncheckedIOException when the file cannot be written (its folder missing, say)
     */
    public static Path savePage(Figure figure, String title, Path file) {
        String page = page(figure, title);
        dev.benchmon.Arguments.required(file, "file");
        try {
            Files.writeString(file, page);
            return file.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the chart to " + file.toAbsolutePath() + ": " + e, e);
        }
    }

    /** Where plotly.js sits on the class path (the webjar), for servers that serve it as a file. */
    public static String plotlyResource() {
        return PlotlyJs.resourcePath();
    }

    /** The version of Plotly.js on the class path, e.g. {@code 2.35.3}. */
    public static String plotlyVersion() {
        return PlotlyJs.version();
    }
}
