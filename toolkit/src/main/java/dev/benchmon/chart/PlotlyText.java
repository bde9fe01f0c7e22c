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
}
