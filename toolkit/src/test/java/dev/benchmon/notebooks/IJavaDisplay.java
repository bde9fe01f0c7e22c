package dev.benchmon.notebooks;

import java.util.UUID;

/**
 * IJava's display functions (io.github.spencerpark.ijava.runtime.Display, which IJava imports
 * statically into every notebook), re-created for {@link NotebookRunner}: instead of publishing a
 * MIME bundle to the front end they print what would be shown, as
 * {@code [display MIME KIND LENGTH chars]} with KIND one of table, chart, plotly-js or other.
 */
public final class IJavaDisplay {
    private IJavaDisplay() {
    }

    /** Displays {@code o} as the requested MIME types; returns the display id. */
    public static String display(Object o, String... as) {
        String text = String.valueOf(o);
        String kind = text.contains("var packed = '") ? "plotly-js"
                : text.contains("Plotly.newPlot(") ? "chart"
                : text.contains("<table>") ? "table" : "other";
        String mime = as.length == 0 ? "text/plain" : String.join(",", as);
        System.out.println("[display " + mime + " " + kind + " " + text.length() + " chars]");
        return UUID.randomUUID().toString();
    }

    /** Displays {@code o} as its preferred type (text/plain for anything but IJava's own types). */
    public static String display(Object o) {
        return display(o, new String[0]);
    }
}
