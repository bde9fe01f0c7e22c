package dev.benchmon.chart;

import tech.tablesaw.plotly.components.Config;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.traces.Trace;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tablesaw-jsplot {@link Figure} whose text is placed by token. jsplot HTML-escapes names inside
 * JavaScript strings (so {@code a'b} shows as {@code a&#39;b}) and does not guard {@code </script>}
 * in hover text; here every user string goes through the templates as an inert token and is put
 * back afterwards as a JSON string literal that is also safe inside a script element.
 */
public final class SafeFigure extends Figure {
    private static final Pattern TOKEN = Pattern.compile("(['\"])(" + Labels.PREFIX + "\\d+x)\\1");
    private final Map<String, String> replacements;

    SafeFigure(Layout layout, Map<String, String> replacements, Trace... traces) {
        super(layout, Config.builder().displayModeBar(true).responsive(true).build(), traces);
        this.replacements = Map.copyOf(replacements);
    }

    @Override
    public String asJavascript(String divName) {
        return restore(super.asJavascript(divName));
    }

    String restore(String js) {
        Matcher m = TOKEN.matcher(js);
        StringBuilder out = new StringBuilder(js.length());
        while (m.find()) {
            String replacement = replacements.get(m.group(2));
            m.appendReplacement(out, Matcher.quoteReplacement(replacement == null ? m.group() : replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
