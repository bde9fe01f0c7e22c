package dev.benchmon.server.web;

import dev.benchmon.Benchmon;
import dev.benchmon.Bucket;
import dev.benchmon.Filter;
import dev.benchmon.UnknownNameException;
import dev.benchmon.ValidationException;
import dev.benchmon.chart.ChartHtml;
import dev.benchmon.chart.Charts;
import dev.benchmon.chart.PlotlyText;
import dev.benchmon.ingest.TextRules;
import dev.benchmon.query.TrendLines;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One small chart of the Trends page ("All metrics of a model"), answered on its own: the page renders the main chart
 * and a placeholder per small chart, and {@code dashboard.js} fetches each one when it is scrolled near. The small
 * charts of a model on 15 series were most of a 737 KB page (349 ms at 1M results); now the page's cost does not grow
 * with them, and a chart never scrolled to is never built.
 *
 * <p>{@code GET /trends/small-chart} takes the Trends view's parameters (those that change the chart: {@code env},
 * {@code dataset}, {@code prompt}, {@code range}, {@code from}, {@code to}; the page's others are accepted), read as
 * the page reads them: a value not understood is dropped with the same fallback, not refused, so a chart of a page
 * that showed a notice draws what that page drew. {@code focus} (the model, required) and {@code chart} (the
 * metric, required, exactly as named) are the fragment's own. It answers
 * an HTML fragment: the chart's div and script (div id {@code trend_small_} and a hash of the metric) and, when the
 * model has more series than {@value #MAX_SMALL_LINES}, a note that says how many are drawn; or a short message when
 * the model has no results of the metric in the view. A missing or unknown {@code focus} or {@code chart} answers 400
 * with a {@code <p class="chart-error">} naming it ({@code focus: unknown model 'x'}), HTML-escaped. So does a value of
 * a parameter it reads that no text may hold, in the words a page names it with ({@code dataset: holds the control
 * character U+0001 at position 0; ...}, {@code env: is not valid percent-encoded UTF-8 (...)}): not a value a page's
 * links carry (a page names and drops it), and no fallback would draw what a page drew.
 */
final class TrendsSmallChart {
    static final String PATH = "/trends/small-chart";
    /** The parameter naming the chart's metric (not {@code metric}: that is the main chart's, and the page's links carry it). */
    static final String CHART = "chart";
    /** The view parameters the chart depends on; the page writes only these (and focus, chart) into the URLs. */
    static final Set<String> VIEW_KEYS = Set.of("env", "dataset", "prompt", "range", "from", "to");
    /** The parameters it reads: the view's and its own. */
    private static final Set<String> READ = Set.of("env", "dataset", "prompt", "range", "from", "to", "focus", CHART);
    static final int SMALL_HEIGHT = 280;
    /**
     * Lines drawn at most in each small chart: a model on 15 series made six small charts of 15 lines each, 1.5 MB of
     * page and 430 ms of server time at 1M results; the main chart shows every series of the chosen metric.
     */
    static final int MAX_SMALL_LINES = 8;

    private TrendsSmallChart() {
    }

    /** The fragment's URL for {@code metric} of {@code focus} in the view {@code url} describes. */
    static String href(UrlState url, String focus, String metric) {
        return url.only(VIEW_KEYS).with("focus", focus).with(CHART, metric).href(PATH);
    }

    /** Answers {@code GET /trends/small-chart}. */
    static void answer(Context ctx, Benchmon benchmon, Templates templates) {
        Dashboard.securityHeaders(ctx);
        // Not a View: that reads every name of five kinds and builds the filter bar's model, none of which a fragment
        // shows, once per small chart of a page. The view's parameters are read by the page's own rules (Selection)
        // against the catalog, asked only about the names given (CheckedNames). Only the view parameters the chart
        // depends on (VIEW_KEYS) are read: model and metric are the main chart's; focus and chart stand for them here.
        // Text no value may hold (a control character, bytes that are not UTF-8) is refused as the pages name it, and
        // before any name is looked up.
        List<String> problems = new ArrayList<>();
        Map<String, List<String>> params = View.readable(ctx, READ, problems);
        if (!problems.isEmpty()) {
            refuse(ctx, templates, problems);
            return;
        }
        UrlState url = UrlState.of(params);
        CheckedNames names = new CheckedNames(benchmon);
        Selection selection = Selection.from(url.only(VIEW_KEYS), names);
        // The view's own problems (a value not understood, a parameter no tab reads) are not refused here: the page
        // named them in its notice and drew the view without them, and the same URL gives this chart the same
        // fallbacks (Selection), so it draws what the page drew. Besides text no value may hold (above), only the
        // chart's own two parameters are refused.
        String focus = url.first("focus");
        if (focus == null) {
            problems.add("focus: name the model whose chart this is");
        } else if (!names.isKnown(KnownNames.Kind.MODEL, focus)) {
            problems.add("focus: unknown model '" + TextRules.visible(focus) + "'");
        }
        List<String> charts = params.getOrDefault(CHART, List.of());
        String metric = charts.size() == 1 ? charts.get(0) : null;
        if (charts.isEmpty() || (metric != null && metric.isEmpty())) {
            problems.add(CHART + ": name the metric to chart");
        } else if (metric == null) {
            problems.add(CHART + ": name one metric (given " + charts.size() + ")");
        } else if (!names.isKnown(KnownNames.Kind.METRIC, metric)) {
            problems.add(CHART + ": unknown metric '" + TextRules.visible(metric) + "'");
        }
        Map<String, Object> model = new HashMap<>();
        if (problems.isEmpty()) {
            try {
                fill(model, benchmon, selection, focus, metric);
            } catch (ValidationException e) {
                e.problems().forEach(p -> problems.add(p.field() + ": " + p.message()));
            } catch (UnknownNameException e) { // checked above; a name removed meanwhile
                String parameter = switch (e.kind()) {
                    case "model" -> "focus";
                    case "metric" -> CHART;
                    default -> e.kind();
                };
                problems.add(shorter(parameter + ": " + e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            refuse(ctx, templates, problems);
            return;
        }
        model.put("problems", problems);
        ctx.html(templates.render("trends-small-chart", model));
    }

    /** Answers 400 with {@code problems}, each "field: message", in the fragment's {@code <p class="chart-error">}. */
    private static void refuse(Context ctx, Templates templates, List<String> problems) {
        ctx.status(HttpStatus.BAD_REQUEST);
        ctx.html(templates.render("trends-small-chart", Map.of("problems", problems)));
    }

    private static void fill(Map<String, Object> model, Benchmon benchmon, Selection selection, String focus,
                             String metric) {
        Filter one = selection.filter().withModels(focus);
        Bucket bucket = selection.bucket(Instant.now());
        TrendLines lines = benchmon.newestLines(one, metric, bucket, MAX_SMALL_LINES);
        model.put("metric", metric);
        model.put("focus", focus);
        model.put("chart", lines.shown() == 0 ? "" : ChartHtml.fragment(Charts.trend(lines.trend(), metric, SMALL_HEIGHT,
                benchmon.chartMarks(one, metric), benchmon.metricDefinitions(List.of(metric)), bucket,
                PlotlyText.SMALL_LEGEND_CHARS), divId(metric)));
        model.put("cappedNote", !lines.capped() ? "" : "Draws " + lines.shown() + " of the " + lines.total()
                + " series of " + focus + " (those with the newest results); narrow by dataset or environment in the"
                + " filter bar to see the others.");
    }

    /**
     * The chart's div id: the same for a metric on every request, different for the page's other small charts (a
     * metric name may hold any character, an id only a few), as the first 12 hex digits of the name's SHA-256.
     */
    static String divId(String metric) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(metric.getBytes(StandardCharsets.UTF_8));
            return "trend_small_" + HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** A problem without the list of known names the page's notice gives (5,000 models are no short message). */
    private static String shorter(String problem) {
        int known = problem.indexOf(" (known: ");
        return known < 0 ? problem : problem.substring(0, known);
    }
}
