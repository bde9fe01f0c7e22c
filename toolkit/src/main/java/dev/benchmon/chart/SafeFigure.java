package dev.benchmon.chart;

import tech.tablesaw.plotly.components.Config;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.traces.Trace;

import java.util.Map;

/**
 * A tablesaw-jsplot {@link Figure} whose text is placed by token. jsplot HTML-escapes names inside
 * JavaScript strings (so {@code a'b} shows as {@code a&#39;b}) and does not guard {@code </script>}
 * in hover text; here every user string goes through the templates as an inert token and is put
 * back afterwards as a JSON string literal that is also safe inside a script element.
 */
public final class SafeFigure extends Figure {
    private final Map<String, String> replacements;

    SafeFigure(Layout layout, Map<String, String> replacements, Trace... traces) {
        super(layout, Config.builder().displayModeBar(true).responsive(true).build(), traces);
        this.replacements = Map.copyOf(replacements);
    }

    /**
     * What the figure is and how to see it, for JShell's {@code fig ==> ...} (it printed {@code SafeFigure@13cf7d52}):
     * {@code Plotly figure "f1 by day" (3 traces): to see it, pass it to open(...) in ./benchmon jshell (opens the
     * browser) or to Notebook.pageFile(..., title) for an HTML file, or end a Jupyter cell with it (benchmon kernel)}.
     * A trace is one of Plotly's drawn series: a line, a band, a front or the marks.
     */
    @Override
    public String toString() {
        int traces = getTraces() == null ? 0 : getTraces().length;
        String title = title();
        return "Plotly figure" + (title.isEmpty() ? "" : " \"" + title + "\"") + " (" + traces
                + (traces == 1 ? " trace" : " traces") + "): to see it, pass it to open(...) in ./benchmon jshell (opens the"
                + " browser) or to Notebook.pageFile(..., title) for an HTML file, or end a Jupyter cell with it (benchmon kernel)";
    }

    /** The layout's title as the chart shows it: its token put back and its HTML escapes undone; "" when it has none. */
    private String title() {
        String title = getLayout() == null ? null : getLayout().getTitle();
        if (title == null) {
            return "";
        }
        String literal = replacements.get(title);
        if (literal != null) {
            try {
                title = dev.benchmon.ingest.ResultJson.mapper().readValue(literal, String.class);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                return title; // not a plain string token: the token itself says at least that there is a title
            }
        }
        return title.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    @Override
    public String asJavascript(String divName) {
        SharedTemplates.share(this); // jsplot's templates compiled once, not per component and render
        return restore(super.asJavascript(divName));
    }

    /**
     * Puts each quoted token back. A plain scan for the prefix rather than a regular expression: a chart of 15 lines
     * over 90 days is 250 KB of mostly non-Latin-1 text (the hover's separators), which the pattern walked char by char.
     */
    String restore(String js) {
        StringBuilder out = new StringBuilder(js.length() + js.length() / 2);
        int from = 0;
        int at = js.indexOf(Labels.PREFIX, from);
        while (at >= 0) {
            int end = at + Labels.PREFIX.length();
            while (end < js.length() && Character.isDigit(js.charAt(end))) {
                end++;
            }
            String replacement = null;
            if (at > from && end < js.length() - 1 && js.charAt(end) == 'x' && end > at + Labels.PREFIX.length()) {
                char quote = js.charAt(at - 1);
                if ((quote == '"' || quote == '\'') && js.charAt(end + 1) == quote) {
                    replacement = replacements.get(js.substring(at, end + 1));
                }
            }
            if (replacement != null) {
                out.append(js, from, at - 1).append(replacement);
                from = end + 2;
            } else {
                out.append(js, from, end);
                from = end;
            }
            at = js.indexOf(Labels.PREFIX, from);
        }
        return out.append(js, from, js.length()).toString();
    }
}
