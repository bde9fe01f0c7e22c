package dev.benchmon.server.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough HTML reading for the page tests: a table's cells as text. */
public final class Html {
    private Html() {
    }

    /** The rows of the table with this id: header labels first, then each body row's cell text. */
    static List<List<String>> table(String html, String id) {
        List<List<String>> rows = new ArrayList<>();
        for (List<String> raw : rawTable(html, id)) {
            rows.add(raw.stream().map(Html::text).toList());
        }
        return rows;
    }

    /** The hrefs of the links in an HTML fragment, entities decoded, in order. */
    static List<String> hrefs(String fragment) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<a [^>]*href=\"([^\"]*)\"").matcher(fragment);
        while (m.find()) {
            out.add(unescape(m.group(1)));
        }
        return out;
    }

    /** As {@link #table}, with each cell's HTML as written (for its links). */
    static List<List<String>> rawTable(String html, String id) {
        int start = html.indexOf("<table class=\"data\" id=\"" + id + "\"");
        if (start < 0) {
            throw new AssertionError("no table #" + id);
        }
        String t = html.substring(start, html.indexOf("</table>", start));
        List<List<String>> rows = new ArrayList<>();
        Matcher tr = Pattern.compile("<tr[^>]*>(.*?)</tr>", Pattern.DOTALL).matcher(t);
        while (tr.find()) {
            List<String> cells = new ArrayList<>();
            String row = tr.group(1);
            Matcher label = Pattern.compile("<span class=\"label\">(.*?)</span>").matcher(row);
            Matcher cell = Pattern.compile("<t[dh][^>]*>(.*?)</t[dh]>", Pattern.DOTALL).matcher(row);
            if (row.contains("class=\"label\"")) {
                while (label.find()) cells.add(label.group(1));
            } else {
                while (cell.find()) cells.add(cell.group(1));
            }
            rows.add(cells);
        }
        return rows;
    }

    /** The text of each paragraph ({@code <p>...</p>}) of an HTML fragment, in order ({@link #text}). */
    public static List<String> paragraphs(String fragment) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<p[ >].*?</p>", Pattern.DOTALL).matcher(fragment);
        while (m.find()) {
            out.add(text(m.group()));
        }
        return out;
    }

    /** Text of an HTML fragment: tags dropped, entities decoded. */
    static String text(String fragment) {
        return unescape(fragment.replaceAll("<[^>]+>", "")).trim();
    }

    static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#34;", "\"")
                .replace("&#39;", "'").replace("&#x27;", "'").replace("&amp;", "&");
    }

    /** The value of the first attribute {@code name} on an element with {@code id}. */
    static String attribute(String html, String id, String name) {
        Matcher m = Pattern.compile("<[^>]*id=\"" + Pattern.quote(id) + "\"[^>]*>").matcher(html);
        if (!m.find()) {
            throw new AssertionError("no element #" + id);
        }
        Matcher a = Pattern.compile(name + "=\"([^\"]*)\"").matcher(m.group());
        return a.find() ? unescape(a.group(1)) : null;
    }

    /** The raw HTML of the div with {@code id}, from its opening tag to the first {@code </div>} after it. */
    public static String byId(String html, String id) {
        int start = html.indexOf("id=\"" + id + "\"");
        if (start < 0) {
            throw new AssertionError("no element #" + id);
        }
        return html.substring(html.lastIndexOf('<', start), html.indexOf("</div>", start) + "</div>".length());
    }

    /** The small-chart placeholders of a Trends page, in order: metric to the URL of its fragment (both unescaped). */
    static Map<String, String> smallCharts(String html) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("<div class=\"chart small pending\" data-chart-url=\"([^\"]*)\" data-metric=\"([^\"]*)\"")
                .matcher(html);
        while (m.find()) {
            out.put(unescape(m.group(2)), unescape(m.group(1)));
        }
        return out;
    }

    /** The script of the Plotly chart drawn into the div {@code id} (tablesaw-jsplot's {@code id='...'}, or {@code id="..."}). */
    static String chart(String html, String id) {
        int start = html.indexOf("id='" + id + "'");
        if (start < 0) {
            start = html.indexOf("id=\"" + id + "\"");
        }
        if (start < 0) {
            throw new AssertionError("no chart #" + id);
        }
        return html.substring(start, html.indexOf("</script>", start));
    }
}
