package dev.benchmon.ingest.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import dev.benchmon.ValidationException;
import dev.benchmon.ValidationException.Problem;
import dev.benchmon.ingest.IngestWarning;
import dev.benchmon.ingest.ResultJson;

import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * MLflow runs, in the forms MLflow itself exports them:
 * <ul>
 * <li>a run as JSON: the REST API's {@code GET /api/2.0/mlflow/runs/get} answer
 *     {@code {"run": {"info": {...}, "data": {"metrics": [{"key", "value", "timestamp", "step"}],
 *     "params": [{"key", "value"}], "tags": [...]}, "inputs": {...}}}}, a bare {@code Run}
 *     ({@code {"info", "data"}}, e.g. Python's {@code run.to_dictionary()}, whose {@code data.metrics}
 *     is a {@code {"name": value}} object), or {@code runs/search}'s {@code {"runs": [...]}}: one result per run;</li>
 * <li>the metric-history CSV the UI's charts export: columns {@code Run} (or {@code Group}),
 *     {@code Run ID}, {@code metric}, {@code step}, {@code timestamp}, {@code value}: one result per run.</li>
 * </ul>
 * A metric logged several times counts with its value at the largest step (the latest timestamp
 * among equal steps), as MLflow shows a run's metric. The run id is the result's run_id, its start
 * time run_at (epoch milliseconds; another value is read as benchmon's JSON reads a run_at, and one that is no point in
 * time, before 1970 or more than a day ahead is refused naming it, e.g. {@code run.info.start_time}; in the CSV, the
 * latest timestamp). The model is a
 * {@code model_version} param or tag, else the run name; the dataset a {@code dataset_version} param or
 * tag, else the name of the run's first logged dataset input. The system tags {@code mlflow.source.git.commit},
 * {@code mlflow.source.git.branch} and {@code mlflow.user} (else {@code info.user_id}) are commit_sha, branch and
 * triggered_by (context flags replace them). Params and user tags go to metadata.
 * MLflow states no directions.
 */
final class MlflowAdapter implements ResultAdapter {
    private static final List<String> CSV_COLUMNS = List.of("run id", "metric", "step", "timestamp", "value");

    @Override
    public String name() {
        return "mlflow";
    }

    @Override
    public String reads() {
        return "MLflow run JSON (REST runs/get or runs/search, run.to_dictionary()) or the UI's metric CSV";
    }

    @Override
    public String shape() {
        return "an MLflow run as JSON with \"info\" and \"data\" ({\"run\": {...}} from runs/get, {\"runs\": [...]} "
                + "from runs/search, or the run itself from run.to_dictionary()), or the UI's metric CSV with the "
                + "columns Run, Run ID, metric, step, timestamp, value";
    }

    @Override
    public boolean recognizes(String text, JsonNode root) {
        if (root == null) {
            return isMetricCsv(firstLine(text));
        }
        if (root.path("run").isObject()) {
            return isRun(root.get("run"));
        }
        if (root.path("runs").isArray() && !root.get("runs").isEmpty()) {
            return isRun(root.get("runs").get(0));
        }
        return isRun(root);
    }

    private static boolean isRun(JsonNode node) {
        return node.path("info").isObject() && node.path("data").isObject();
    }

    @Override
    public AdaptedResults convert(String text) {
        List<JsonNode> roots;
        try {
            roots = ResultJson.readRoots(text);
        } catch (ValidationException notJson) {
            if (isMetricCsv(firstLine(text))) {
                return fromCsv(text);
            }
            throw new ValidationException(Problem.of("body", "is not MLflow output: expected a run as JSON "
                    + "({\"run\": {\"info\", \"data\"}}) or the UI's metric CSV (Run, Run ID, metric, step, timestamp, value)"));
        }
        JsonNode root = roots.size() == 1 ? roots.get(0) : null;
        List<JsonNode> runs = new ArrayList<>();
        String path; // where the runs are in the file, for a problem's field: "run.", "runs[%d].", "[%d]." or ""
        if (root != null && root.path("run").isObject()) {
            runs.add(root.get("run"));
            path = "run.";
        } else if (root != null && root.path("runs").isArray()) {
            root.get("runs").forEach(runs::add);
            path = "runs[%d].";
        } else if (root != null && root.isArray()) {
            root.forEach(runs::add);
            path = "[%d].";
        } else {
            if (root != null) {
                runs.add(root);
            }
            path = "";
        }
        if (runs.isEmpty() || !runs.stream().allMatch(MlflowAdapter::isRun)) {
            throw new ValidationException(Problem.of("body", "is not an MLflow run: expected {\"run\": {\"info\": {...}, "
                    + "\"data\": {\"metrics\": ...}}}, {\"info\", \"data\"} or {\"runs\": [...]}"));
        }
        List<JsonNode> results = new ArrayList<>();
        List<IngestWarning> warnings = new ArrayList<>();
        Map<Integer, AdaptedResults.RunAtBefore> runAtReadBefore = new HashMap<>(); // by run: each its own start_time
        for (JsonNode run : runs) {
            String startTime = path.formatted(results.size()) + "info.start_time";
            Map<Instant, Optional<Instant>> read = new HashMap<>();
            int index = results.size();
            results.add(fromRun(run, index, startTime, warnings, read).node());
            read.forEach((at, before) -> runAtReadBefore.put(index, new AdaptedResults.RunAtBefore(at, before)));
        }
        return new AdaptedResults(results, Map.of(), warnings, runAtReadBefore);
    }

    /**
     * One run as a result; its {@code info.start_time} (named {@code startTime} where the file has it) read as epoch
     * milliseconds, as MLflow writes it, else as benchmon's JSON reads a run_at ({@link Timestamps#toolTime}).
     */
    private static ResultNode fromRun(JsonNode run, int index, String startTime, List<IngestWarning> warnings,
                                      Map<Instant, Optional<Instant>> runAtReadBefore) {
        JsonNode info = run.get("info");
        JsonNode data = run.get("data");
        Map<String, String> params = keyValues(data.get("params"));
        Map<String, String> tags = keyValues(data.get("tags"));
        String runName = JsonInput.text(info, "run_name") != null ? JsonInput.text(info, "run_name") : tags.get("mlflow.runName");
        ResultNode r = new ResultNode(index, warnings)
                .text("model_version", first(params.get("model_version"), tags.get("model_version"), runName))
                .text("dataset_version", first(params.get("dataset_version"), tags.get("dataset_version"), datasetInput(run)))
                .text("run_id", first(JsonInput.text(info, "run_id"), JsonInput.text(info, "run_uuid")))
                // MLflow's system tags for the code's git state and who ran it (mlflow.utils.mlflow_tags), set when
                // the run started from a git checkout; user_id is the deprecated RunInfo field they replace.
                .text("commit_sha", tags.get("mlflow.source.git.commit"))
                .text("branch", tags.get("mlflow.source.git.branch"))
                .text("triggered_by", first(tags.get("mlflow.user"), JsonInput.text(info, "user_id")))
                .runAt(Timestamps.toolTime(info.get("start_time"), Timestamps.epochMillis(info.get("start_time")),
                        startTime, warnings, runAtReadBefore));
        JsonNode metrics = data.get("metrics");
        if (metrics != null && metrics.isArray()) {
            Map<String, JsonNode> latest = new LinkedHashMap<>();
            for (JsonNode m : metrics) {
                String key = JsonInput.text(m, "key");
                if (key != null && (!latest.containsKey(key) || later(m, latest.get(key)))) {
                    latest.put(key, m);
                }
            }
            latest.forEach((key, m) -> r.metric(key, number(m.get("value"))));
        } else if (metrics != null && metrics.isObject()) {
            metrics.fields().forEachRemaining(e -> r.metric(e.getKey(), number(e.getValue())));
        }
        r.metadata("run_name", runName);
        r.metadata("experiment_id", JsonInput.text(info, "experiment_id"));
        r.metadata("status", JsonInput.text(info, "status"));
        if (!params.isEmpty()) {
            r.metadata("params", ResultJson.mapper().valueToTree(params));
        }
        Map<String, String> userTags = new LinkedHashMap<>();
        tags.forEach((k, v) -> {
            if (!k.startsWith("mlflow.")) {
                userTags.put(k, v);
            }
        });
        if (!userTags.isEmpty()) {
            r.metadata("tags", ResultJson.mapper().valueToTree(userTags));
        }
        return r;
    }

    /** A larger step wins; among equal steps, the later timestamp. */
    private static boolean later(JsonNode a, JsonNode b) {
        long stepA = longOf(a.get("step")), stepB = longOf(b.get("step"));
        if (stepA != stepB) {
            return stepA > stepB;
        }
        return longOf(a.get("timestamp")) >= longOf(b.get("timestamp"));
    }

    private static long longOf(JsonNode v) {
        if (v == null || v.isNull()) {
            return 0;
        }
        try {
            return v.isTextual() ? Long.parseLong(v.asText().trim()) : v.asLong();
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** MLflow's REST API writes NaN and infinities as the strings "NaN", "Infinity", "-Infinity" (protobuf JSON). */
    private static JsonNode number(JsonNode v) {
        if (v != null && v.isTextual()) {
            try {
                return ResultJson.mapper().getNodeFactory().numberNode(Double.parseDouble(v.asText().trim()));
            } catch (NumberFormatException e) {
                return v;
            }
        }
        return v;
    }

    /** Params and tags: a list of {key, value} (REST) or an object (to_dictionary). */
    private static Map<String, String> keyValues(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null) {
            return out;
        }
        if (node.isArray()) {
            for (JsonNode kv : node) {
                String key = JsonInput.text(kv, "key");
                if (key != null && kv.has("value")) {
                    out.put(key, kv.get("value").asText());
                }
            }
        } else if (node.isObject()) {
            node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }

    private static String datasetInput(JsonNode run) {
        for (JsonNode input : run.path("inputs").path("dataset_inputs")) {
            String name = JsonInput.text(input.path("dataset"), "name");
            if (name != null) {
                return name;
            }
        }
        return null;
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    // ---- the UI's metric CSV ---------------------------------------------------------------------

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).strip();
    }

    private static boolean isMetricCsv(String header) {
        List<String> columns = List.of(header.toLowerCase(Locale.ROOT).split(",")).stream()
                .map(c -> c.strip().replace("\"", "")).toList();
        return columns.containsAll(CSV_COLUMNS) && (columns.contains("run") || columns.contains("group"));
    }

    private static AdaptedResults fromCsv(String text) {
        CsvParserSettings settings = new CsvParserSettings();
        settings.setLineSeparatorDetectionEnabled(true);
        settings.setMaxCharsPerColumn(100_000);
        List<String[]> rows = new CsvParser(settings).parseAll(new StringReader(text));
        List<String> header = List.of(rows.get(0)).stream().map(c -> c == null ? "" : c.strip().toLowerCase(Locale.ROOT)).toList();
        int run = header.contains("run") ? header.indexOf("run") : header.indexOf("group");
        int runId = header.indexOf("run id"), metric = header.indexOf("metric"), step = header.indexOf("step");
        int timestamp = header.indexOf("timestamp"), value = header.indexOf("value");
        // run key -> metric -> the row kept (largest step, then latest timestamp)
        Map<String, Map<String, String[]>> latest = new LinkedHashMap<>();
        for (String[] row : rows.subList(1, rows.size())) {
            if (row.length < header.size() || row[metric] == null) {
                continue;
            }
            String key = row[runId] != null ? row[runId] : row[run];
            Map<String, String[]> byMetric = latest.computeIfAbsent(key, k -> new LinkedHashMap<>());
            String[] kept = byMetric.get(row[metric]);
            if (kept == null || laterRow(row, kept, step, timestamp)) {
                byMetric.put(row[metric], row);
            }
        }
        List<JsonNode> results = new ArrayList<>();
        List<IngestWarning> warnings = new ArrayList<>();
        latest.forEach((key, byMetric) -> {
            String[] any = byMetric.values().iterator().next();
            ResultNode r = new ResultNode(results.size(), warnings).text("model_version", any[run]).text("run_id", any[runId]);
            long newest = 0;
            for (Map.Entry<String, String[]> e : byMetric.entrySet()) {
                r.metric(e.getKey(), parse(e.getValue()[value]));
                newest = Math.max(newest, parseLong(e.getValue()[timestamp]));
            }
            r.runAt(newest > 0 ? Instant.ofEpochMilli(newest) : null);
            results.add(r.node());
        });
        return new AdaptedResults(results, Map.of(), warnings);
    }

    private static boolean laterRow(String[] a, String[] b, int step, int timestamp) {
        long stepA = parseLong(a[step]), stepB = parseLong(b[step]);
        return stepA != stepB ? stepA > stepB : parseLong(a[timestamp]) >= parseLong(b[timestamp]);
    }

    private static long parseLong(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static JsonNode parse(String s) {
        ObjectNode holder = ResultJson.mapper().createObjectNode();
        if (s == null) {
            return holder.nullNode();
        }
        try {
            return holder.numberNode(Double.parseDouble(s.strip()));
        } catch (NumberFormatException e) {
            return holder.textNode(s);
        }
    }
}
