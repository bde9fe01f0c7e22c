package dev.benchmon.chart;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntUnaryOperator;

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
        return middle(text, chars, "…", cp -> 1);
    }

    /**
     * {@code text} in at most {@code room} units, {@code width} giving each code point's: whole when it fits, else
     * its start and its end around {@code marker}, the end taking a third of the room the marker leaves and the start
     * the rest, never splitting a character. The one rule of shortening a name, for a legend ({@link #legend(String,
     * int)}: code points, {@code …}) and for a printed table's cell ({@code TableText}: terminal columns, {@code …}):
     * names of one family differ at their end ({@code ...-v1.2}, {@code ... @ci}), which a cut end loses.
     */
    public static String middle(String text, int room, String marker, IntUnaryOperator width) {
        if (text.codePoints().map(width).sum() <= room) {
            return text;
        }
        int left = room - marker.codePoints().map(width).sum();
        int end = text.length();
        int tail = 0;
        while (end > 0 && tail + width.applyAsInt(text.codePointBefore(end)) <= left / 3) {
            tail += width.applyAsInt(text.codePointBefore(end));
            end -= Character.charCount(text.codePointBefore(end));
        }
        int start = 0;
        int head = 0;
        while (start < end && head + width.applyAsInt(text.codePointAt(start)) <= left - tail) {
            head += width.applyAsInt(text.codePointAt(start));
            start += Character.charCount(text.codePointAt(start));
        }
        return text.substring(0, start) + marker + text.substring(end);
    }

    /** Characters after which a word starts, in {@link #legends}: the separators of model, dataset and series names. */
    private static final String SEPARATORS = " -_/.:@·,|";

    /**
     * The legend entries of the distinct {@code names} (unescaped), in their order, each at most {@code chars} code
     * points and all distinct: each as {@link #legend(String, int)} shows it, except names that would show alike there
     * because they differ only in the middle ({@code org/very-long-model-name-v1-final-checkpoint} and its
     * {@code -v2-} twin both show as {@code org/very-long-mo…ckpoint} at 24). Those keep their first quarter of
     * {@code chars}, an ellipsis, and from the word where the names start to differ on, shortened as a legend is
     * ({@code org/v…v1-final-che…point}). A name that would still show like another is shown whole.
     */
    public static List<String> legends(List<String> names, int chars) {
        List<String> shown = new ArrayList<>();
        Map<String, List<Integer>> alike = new HashMap<>();
        for (String name : names) {
            String legend = legend(name, chars);
            alike.computeIfAbsent(legend, k -> new ArrayList<>()).add(shown.size());
            shown.add(legend);
        }
        for (List<Integer> group : alike.values()) {
            if (group.size() > 1) {
                int common = group.stream().mapToInt(i -> commonPrefix(names.get(group.get(0)), names.get(i)))
                        .filter(c -> c >= 0).min().orElse(0);
                group.forEach(i -> shown.set(i, aroundDifference(names.get(i), common, chars)));
            }
        }
        Set<String> seen = new HashSet<>();
        Set<String> twice = new HashSet<>();
        for (String legend : shown) {
            if (!seen.add(legend)) {
                twice.add(legend);
            }
        }
        for (int i = 0; i < shown.size(); i++) {
            if (twice.contains(shown.get(i))) {
                shown.set(i, names.get(i) == null ? "" : names.get(i));
            }
        }
        return shown;
    }

    /** How many code points {@code a} and {@code b} start with alike; -1 when they are the same text. */
    private static int commonPrefix(String a, String b) {
        if (a == null || b == null || a.equals(b)) {
            return -1;
        }
        int i = 0;
        int points = 0;
        while (i < a.length() && i < b.length() && a.codePointAt(i) == b.codePointAt(i)) {
            i += Character.charCount(a.codePointAt(i));
            points++;
        }
        return points;
    }

    /**
     * {@code text} at most {@code chars} code points, showing where it differs from its look-alikes: its start, an
     * ellipsis, and the rest from the start of the word holding code point {@code from} (at most 8 back) on.
     */
    private static String aroundDifference(String text, int from, int chars) {
        int lo = Math.max(0, from - 8);
        int start = from;
        for (int i = from; i > lo; i--) {
            if (SEPARATORS.indexOf(text.codePointAt(text.offsetByCodePoints(0, i - 1))) >= 0) {
                start = i;
                break;
            }
        }
        int head = Math.min((chars - 2) / 4, start);
        int restChars = chars - head - 1;
        if (restChars < 4) {
            return legend(text, chars);
        }
        return text.substring(0, text.offsetByCodePoints(0, head)) + (head < start ? "…" : "")
                + legend(text.substring(text.offsetByCodePoints(0, start)), restChars);
    }
}
