package dev.benchmon.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.Benchmon;
import dev.benchmon.Bucket;
import dev.benchmon.BaselineMode;
import dev.benchmon.Filter;
import dev.benchmon.RegressionOptions;
import dev.benchmon.ingest.ResultJson;
import io.javalin.http.Context;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The read endpoints under {@code /api/v1}: each reads its parameters, asks the toolkit, writes the table. */
public final class QueryEndpoints {
    private static final Set<String> TRENDS = with(QueryParams.FILTER, Set.of("bucket"));
    private static final Set<String> REGRESSIONS = with(with(QueryParams.FILTER, QueryParams.REGRESSION),
            Set.of("sensitivity", "min_effect"));
    private static final Set<String> META = Set.of("format");

    private final Benchmon benchmon;

    public QueryEndpoints(Benchmon benchmon) {
        this.benchmon = benchmon;
    }

    /**
     * GET /api/v1/snapshots: the current result of every series matching the filter (its newest run that counts; none
     * for a series whose every run is excluded), streamed from the cursor; with {@code format=jsonl} the same results
     * as {@code benchmon export snapshots --format jsonl} writes them.
     */
    public void snapshots(Context ctx) {
        QueryParams q = QueryParams.of(ctx, QueryParams.FILTER).withKnownNames(benchmon::knownNames);
        Filter filter = q.filter();
        boolean jsonLines = q.jsonLines();
        boolean csv = !jsonLines && q.csv(ctx);
        q.check();
        if (jsonLines) {
            StreamedRows.writeJsonLines(ctx, "snapshots", out -> benchmon.writeLatestAsJsonLines(filter, out));
            return;
        }
        StreamedRows.write(ctx, csv, "snapshots", sink -> benchmon.streamLatest(filter, sink));
    }

    /**
     * GET /api/v1/history: results from the log, newest first ({@code limit}, default 1000), streamed from the cursor;
     * with {@code format=jsonl} as {@code benchmon export history --format jsonl} writes them. {@code limit=all} (a CSV
     * or JSON Lines file only: 400 for JSON) lists every result the filter selects, oldest first, in constant memory.
     * A history file (CSV, JSON Lines) lists the same newest results oldest first, as the exports that copy it: import stores a file in
     * its order. The JSON answer ends
     * {@code "row_count": n, "limit": 1000, "limit_reached": true|false}: limit_reached when the answer holds
     * {@code limit} rows, so more may match (ask with a larger limit or a narrower window). Not "truncated": telling
     * that would read a row past the limit, whose metrics would then name columns of the answer, or a second query.
     */
    public void history(Context ctx) {
        QueryParams q = QueryParams.of(ctx, QueryParams.HISTORY).withKnownNames(benchmon::knownNames);
        Filter filter = q.filter();
        boolean jsonLines = q.jsonLines();
        boolean csv = !jsonLines && q.csv(ctx);
        q.allRowsOnlyInAFile(filter, csv || jsonLines);
        q.check();
        if (jsonLines) { // exact (no formula guard: no spreadsheet opens JSON), with examples; benchmon import reads it
            StreamedRows.writeJsonLines(ctx, "history", out -> benchmon.writeHistoryAsJsonLines(filter, out));
            return;
        }
        // The CSV adds stderr, n and metadata (JSON text cells), which benchmon import reads back; the JSON answer
        // keeps its columns, where they would rename a metric called n, stderr or metadata.
        int limit = filter.limit() == null ? dev.benchmon.query.HistoryQuery.DEFAULT_LIMIT : filter.limit();
        StreamedRows.write(ctx, csv, "history", Map.of(), sink -> benchmon.streamHistory(filter.withLimit(limit), sink, csv), n -> {
            Map<String, Object> tail = new java.util.LinkedHashMap<>();
            tail.put("limit", limit);
            tail.put("limit_reached", n >= limit);
            return tail;
        });
    }

    /** GET /api/v1/trends?metric=f1: one metric per series (model, dataset, prompt, environment) over time, bucketed by hour, day or week. */
    public void trends(Context ctx) {
        QueryParams q = QueryParams.of(ctx, TRENDS).withKnownNames(benchmon::knownNames);
        Filter filter = q.filter();
        List<String> metrics = q.list("metric");
        if (metrics.size() != 1) {
            q.problem("metric", metrics.isEmpty() ? "is required: name the metric to follow, e.g. metric=f1"
                    : "name exactly one metric for a trend, got " + metrics);
        }
        Bucket bucket = q.bucket(filter.last());
        boolean csv = q.csv(ctx);
        q.check();
        // The trend's metric is its subject, not a column filter. Streamed from the cursor: a model on 50 tasks
        // over 90 days is 4,500 rows.
        Map<String, String> extra = new java.util.LinkedHashMap<>(); // in the order the answer had
        extra.put("metric", metrics.get(0));
        extra.put("bucket", bucket.sqlUnit());
        StreamedRows.write(ctx, csv, "trends", extra,
                sink -> benchmon.streamTimeSeries(filter.withMetrics(), metrics.get(0), bucket, sink));
    }

    /** The baseline the detection engine judges a run against, as GET /api/v1/regressions' options name it. */
    static final String ENGINE_BASELINE = "median";

    /**
     * The simple rule's parameters ({@code detect_regressions}) that GET /api/v1/regressions takes, checked as before
     * (clients send them), but that the detection engine does not apply: each given one is answered as a warning
     * ({@code warnings}, and a {@code Warning} header), with what to give instead ({@code baseline=pinned} is a 400).
     */
    static final Map<String, String> NOT_APPLIED = notApplied();

    private static Map<String, String> notApplied() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("threshold", "is not applied: the detection engine judges a change by its noise (sensitivity) and a "
                + "minimum effect; for a smallest relative change give min_effect as a percentage (min_effect=5% for "
                + "threshold=0.05); the simple rule's threshold is SQL detect_regressions' p_threshold");
        m.put("absolute_threshold", "is not applied: the detection engine judges a change by its noise (sensitivity) "
                + "and a minimum effect; for a smallest change in the metric's unit give min_effect as a number "
                + "(min_effect=0.01)");
        m.put("window", "is not applied: the detection engine's baseline is its series' own runs since the last change "
                + "point (at most " + dev.benchmon.detect.DetectionSettings.DEFAULT_WINDOW + "), not a number of runs "
                + "given per request");
        m.put("baseline", "is not applied: the detection engine's baseline is the " + ENGINE_BASELINE + " of its "
                + "series' runs since the last change point");
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * GET /api/v1/regressions: the detection engine's verdicts of every series' latest run (stored at ingest;
     * judged again when {@code sensitivity} or {@code min_effect} is given), regressions first, then missing
     * metrics, direction-unknown changes and improvements; {@code metric=} filters the metrics.
     */
    public void regressions(Context ctx) {
        QueryParams q = QueryParams.of(ctx, REGRESSIONS).withKnownNames(benchmon::knownNames);
        if (BaselineMode.PINNED.sqlName().equalsIgnoreCase(String.valueOf(q.single("baseline")).trim())) {
            // Before the options, which would first ask for the baseline_transaction a pinned baseline needs.
            throw dev.benchmon.detect.RegressionDetector.pinnedRefused();
        }
        Filter filter = q.filter();
        RegressionOptions options = q.regressionOptions().withOverrides(q.detectionOverrides());
        boolean csv = q.csv(ctx);
        Long pinned = options.pinnedTransaction();
        if (pinned != null && !benchmon.readJdbi().withHandle(h -> h.createQuery(
                "SELECT EXISTS (SELECT 1 FROM benchmark_transactions WHERE id = :id)").bind("id", pinned)
                .mapTo(Boolean.class).one())) {
            q.problem("baseline_transaction", "names no recorded result (" + pinned + "); give the id of a stored result");
        }
        q.check();
        Table table = benchmon.detectRegressions(filter, options);
        long found = table.booleanColumn("is_regression").countTrue();
        ObjectNode extra = ResultJson.mapper().createObjectNode().put("regressions_found", found)
                .put("improvements_found", table.stringColumn("outcome").isEqualTo("improvement").size())
                .put("method", "noise-aware detection engine (see docs/ARCHITECTURE.md#regression-detection)");
        ObjectNode opts = extra.putObject("options");
        // The options are those the engine applies. It judges each run against the median of its series' runs since
        // the last change point (of the previous few with a short history), as every explanation says; the simple
        // rule's parameters (detect_regressions) are taken, as clients sent them, and each given one is a warning.
        opts.put("baseline", ENGINE_BASELINE).put("only_regressions", options.onlyRegressions());
        ArrayNode warnings = extra.putArray("warnings");
        NOT_APPLIED.forEach((field, message) -> {
            String sent = q.sent(field);
            if (sent != null && !(field.equals("baseline") && sent.strip().equalsIgnoreCase(ENGINE_BASELINE))) {
                warnings.addObject().put("field", field).put("message", message);
                // (a CSV answer has no JSON to carry it; code 299 of the Warning header: a persistent warning, as Kubernetes warns)
                ctx.res().addHeader("Warning", "299 benchmon \"" + field + " " + message + "\"");
            }
        });
        if (!Double.isNaN(options.sensitivity())) {
            opts.put("sensitivity", options.sensitivity());
        }
        if (!Double.isNaN(options.relativeMinEffect())) {
            opts.put("min_effect", java.math.BigDecimal.valueOf(100 * options.relativeMinEffect()).round(new java.math.MathContext(6))
                    .stripTrailingZeros().toPlainString() + "%");
        }
        if (!Double.isNaN(options.minEffect())) {
            opts.put("min_effect", options.minEffect());
        }
        if (options.pinnedTransaction() != null) {
            opts.put("baseline_transaction", options.pinnedTransaction());
        }
        TableResponses.write(ctx, table, csv, "regressions", extra);
    }

    /**
     * GET /api/v1/change-points: the shifts the detection engine holds (within each series' newest runs) in the filter's series ({@code metric=} the
     * metrics, the window that of each shift's first run), newest first, at most {@code limit} (default 1000), as
     * {@code bm.changePoints(filter)} returns them (columns: {@link dev.benchmon.query.ChangePointsQuery#changePoints});
     * the JSON answer carries {@code "limit": 1000, "limit_reached": true|false} as the history's does.
     */
    public void changePoints(Context ctx) {
        QueryParams q = QueryParams.of(ctx, QueryParams.HISTORY).withKnownNames(benchmon::knownNames);
        Filter filter = q.filter();
        boolean csv = q.csv(ctx);
        if (filter.allRows()) { // a table answer, CSV too: held whole before it is written
            q.problem("limit", "must be a whole number from 1 to " + QueryParams.MAX_LIMIT + " here, got 'all' (every row "
                    + "is for a history file: /api/v1/history?limit=all&format=jsonl)");
        }
        q.check();
        int limit = filter.limit() == null ? dev.benchmon.query.ChangePointsQuery.DEFAULT_LIMIT : filter.limit();
        Table table = benchmon.changePoints(filter.withLimit(limit));
        ObjectNode extra = ResultJson.mapper().createObjectNode().put("limit", limit)
                .put("limit_reached", table.rowCount() >= limit);
        table.setName("change-points");
        TableResponses.write(ctx, table, csv, "change-points", extra);
    }

    /** GET /api/v1/meta: the names known (models, datasets, prompts, environments, providers, metrics). */
    public void meta(Context ctx) {
        QueryParams q = QueryParams.of(ctx, META);
        boolean csv = q.csv(ctx);
        q.check();
        Map<String, List<String>> names = new java.util.LinkedHashMap<>();
        names.put("models", benchmon.models());
        names.put("datasets", benchmon.datasets());
        names.put("prompts", benchmon.prompts());
        names.put("environments", benchmon.environments());
        names.put("providers", benchmon.providers());
        names.put("metrics", benchmon.metrics());
        if (csv) {
            // One row per name: kind (model, dataset, ...) and name.
            StringColumn kind = StringColumn.create("kind");
            StringColumn name = StringColumn.create("name");
            names.forEach((k, values) -> values.forEach(v -> {
                kind.append(k.substring(0, k.length() - 1)); // "models" -> "model"
                name.append(v);
            }));
            TableResponses.write(ctx, Table.create("meta", kind, name), true, "meta", null);
            return;
        }
        ObjectNode root = ResultJson.mapper().createObjectNode();
        names.forEach((k, values) -> {
            ArrayNode a = root.putArray(k);
            values.forEach(a::add);
        });
        root.set("metric_definitions", TableResponses.json(benchmon.metricDefinitions()).get("rows"));
        ctx.contentType("application/json; charset=utf-8").result(root.toString());
    }

    private static Set<String> with(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
