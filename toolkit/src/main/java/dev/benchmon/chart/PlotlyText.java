package dev.benchmon.chart;

/**
 * Plotly draws trace names, titles and hover text with its own small HTML-like markup ({@code <br>},
 * {@code <b>}) and decodes entities such as {@code &lt;}. A name like {@code o'brien-<v2>} must be
 * escaped for that markup, or Plotly drops {@code <v2>} as an unknown tag.
 */
public final class PlotlyText {
    private PlotlyText() {
    }

    /** {@code text} as Plotly markup that shows exactly {@code text}. */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /**
     * The most characters (code points) of a legend entry: a longer name (up to 200 are allowed) would squeeze the
     * plot beside the legend to a sliver.
     */
    public static final int LEGEND_CHARS = 40;

    /**
     * {@code text} (unescaped) as a legend shows it: whole when it has at most {@link #LEGEND_CHARS} code points, else
     * its first 26 and last 13 around an ellipsis ({@code …}), 40 in all: the end is kept because names of one family
     * differ there ({@code ...-v1.2}, {@code ...-v1.3} and a series' {@code @environment}). The chart's hover text
     * carries the whole name.
     */
    public static String legend(String text) {
        return legend(text, LEGEND_CHARS);
    }

    /**
     * The most characters of a legend entry in a small chart (the Trends page's small multiples, about 600 px wide):
     * 40 took half of one.
     */
    public static final int SMALL_LEGEND_CHARS = 24;

    /**
     * {@link #legend(String)} at most {@code chars} code points (at least 4): a longer name keeps its first two thirds
     * and its last third of {@code chars - 1} around the ellipsis (16 and 7 of 24).
     */
    public static String legend(String text, int chars) {
        if (chars < 4) {
            throw new IllegalArgumentException("chars must be at least 4: " + chars);
        }
        if (text == null) {
            return "";
        }
        int length = text.codePointCount(0, text.length());
        if (length <= chars) {
            return text;
        }
        int tail = (chars - 1) / 3;
        int head = chars - 1 - tail;
        return text.substring(0, text.offsetByCodePoints(0, head)) + "…"
                + text.substring(text.offsetByCodePoints(0, length - tail));
    }
}
