package dev.benchmon.ingest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.ValidationException;
import dev.benchmon.ValidationException.Problem;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The JSON form of results: one object, an array, {@code {"results": [...]}} or JSON Lines. Reading
 * reports type errors (a metric that is a string, an unknown field) and content errors (a missing
 * model_version) together, each with its field and, in a batch, its index.
 */
public final class ResultJson {
    /** Every field a result object may have. */
    public static final List<String> FIELDS = List.of("model_version", "dataset_version", "prompt_version",
            "model_provider", "environment", "metrics", "stderr", "n", "run_at", "commit_sha", "branch", "run_id", "triggered_by",
            "tags", "notes", "metadata", "idempotency_key", "examples");
    private static final Set<String> FIELD_SET = Set.copyOf(FIELDS);

    // NaN and Infinity are read so that they can be refused with a clear message, not a parse error.
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private ResultJson() {
    }

    /** The shared, configured Jackson mapper. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Reads exactly one result object. */
    public static BenchmarkResult parseOne(String json) {
        List<JsonNode> roots = readRoots(json);
        if (roots.size() != 1 || !roots.get(0).isObject()) {
            throw new ValidationException(Problem.of("body",
                    "expected one JSON object with model_version, dataset_version and metrics; use listFromJson for several"));
        }
        List<Problem> problems = new ArrayList<>();
        BenchmarkResult r = fromNode(roots.get(0), problems);
        if (!problems.isEmpty()) {
            throw new ValidationException(problems);
        }
        return r;
    }

    /** Reads any number of results; all-or-nothing: one bad result fails the lot, listing every problem. */
    public static List<BenchmarkResult> parseMany(String json) {
        return fromNodes(elements(readRoots(json)));
    }

    /** Reads results from already-parsed JSON (a request body): object, array or {"results": [...]}. */
    public static List<BenchmarkResult> fromTree(JsonNode root) {
        return fromNodes(elements(List.of(root)));
    }

    /** The result objects in parsed JSON roots, before validation. */
    public static List<JsonNode> elements(List<JsonNode> roots) {
        if (roots.isEmpty()) {
            throw new ValidationException(Problem.of("body", "is empty: send one result object, an array of them, "
                    + "{\"results\": [...]} or JSON Lines"));
        }
        if (roots.size() == 1) {
            JsonNode root = roots.get(0);
            if (root.isArray()) {
                return toList(root);
            }
            if (root.isObject() && root.has("results") && !root.has("model_version")) {
                JsonNode results = root.get("results");
                if (!results.isArray()) {
                    throw new ValidationException(Problem.of("results", "must be an array of result objects"));
                }
                return toList(results);
            }
        }
        return roots;
    }

    /** Converts and validates every node; throws once with all problems. */
    public static List<BenchmarkResult> fromNodes(List<JsonNode> nodes) {
        List<BenchmarkResult> results = new ArrayList<>(nodes.size());
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            List<Problem> own = new ArrayList<>();
            BenchmarkResult r = fromNode(nodes.get(i), own);
            for (Problem p : own) {
                problems.add(p.at(i));
            }
            results.add(r);
        }
        if (!problems.isEmpty()) {
            throw new ValidationException(problems);
        }
        return results;
    }

    /** Parses every root value in the text (one, or several for JSON Lines). */
    public static List<JsonNode> readRoots(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        List<JsonNode> roots = new ArrayList<>();
        try (MappingIterator<JsonNode> it = MAPPER.readerFor(JsonNode.class).readValues(json)) {
            while (it.hasNextValue()) {
                roots.add(it.nextValue());
            }
        } catch (JsonProcessingException e) {
            throw new ValidationException(Problem.of("body", "is not valid JSON: " + e.getOriginalMessage()
                    + locationOf(e)));
        } catch (IOException | RuntimeException e) {
            Throwable cause = e.getCause() instanceof JsonProcessingException ? e.getCause() : e;
            String loc = cause instanceof JsonParseException jpe ? locationOf(jpe) : "";
            throw new ValidationException(Problem.of("body", "is not valid JSON: "
                    + (cause instanceof JsonProcessingException jp ? jp.getOriginalMessage() : cause.getMessage()) + loc));
        }
        return roots;
    }

    private static String locationOf(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> list = new ArrayList<>(array.size());
        array.forEach(list::add);
        return list;
    }

    /** Converts one node; adds problems (unplaced) and returns {@code null} when it is not a valid result. */
    static BenchmarkResult fromNode(JsonNode node, List<Problem> problems) {
        if (node == null || !node.isObject()) {
            problems.add(Problem.of("result", "must be a JSON object, got " + kind(node)));
            return null;
        }
        List<Problem> typeProblems = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!FIELD_SET.contains(name)) {
                typeProblems.add(Problem.of(name, "unknown field (allowed: " + String.join(", ", FIELDS) + ")"));
            }
        }
        BenchmarkResult.Builder b = BenchmarkResult.builder()
                .modelVersion(string(node, "model_version", typeProblems))
                .datasetVersion(string(node, "dataset_version", typeProblems))
                .promptVersion(string(node, "prompt_version", typeProblems))
                .modelProvider(string(node, "model_provider", typeProblems))
                .environment(string(node, "environment", typeProblems))
                .commitSha(string(node, "commit_sha", typeProblems))
                .branch(string(node, "branch", typeProblems))
                .runId(string(node, "run_id", typeProblems))
                .triggeredBy(string(node, "triggered_by", typeProblems))
                .notes(string(node, "notes", typeProblems))
                .idempotencyKey(string(node, "idempotency_key", typeProblems))
                .runAt(instant(node, "run_at", typeProblems));
        metrics(node.get("metrics"), b, typeProblems);
        stderr(node.get("stderr"), b, typeProblems);
        sampleSizes(node.get("n"), b, typeProblems);
        tags(node.get("tags"), b, typeProblems);
        ExamplesJson.read(node.get("examples"), b, typeProblems);
        JsonNode metadata = node.get("metadata");
        if (metadata != null && !metadata.isNull()) {
            if (!metadata.isObject()) {
                typeProblems.add(Problem.of("metadata", "must be a JSON object, got " + kind(metadata)));
            } else if (metadata.toString().contains("\\u0000")) {
                typeProblems.add(Problem.of("metadata", "must not contain the NUL character (\\u0000)"));
            } else {
                b.metadata(MAPPER.convertValue(metadata, LinkedHashMap.class));
            }
        }
        try {
            BenchmarkResult r = b.build();
            problems.addAll(typeProblems);
            return typeProblems.isEmpty() ? r : null;
        } catch (ValidationException e) {
            problems.addAll(typeProblems);
            for (Problem p : e.problems()) {
                if (typeProblems.stream().noneMatch(t -> overlaps(t.field(), p.field()))) {
                    problems.add(p);
                }
            }
            return null;
        }
    }

    private static boolean overlaps(String a, String b) {
        return a.startsWith(b) || b.startsWith(a);
    }

    private static void metrics(JsonNode metrics, BenchmarkResult.Builder b, List<Problem> problems) {
        if (metrics == null || metrics.isNull()) {
            return; // "is required" comes from the validator
        }
        if (!metrics.isObject()) {
            problems.add(Problem.of("metrics", "must be a JSON object of name -> number, got " + kind(metrics)));
            return;
        }
        metrics.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            if (v.isNumber()) {
                b.metric(e.getKey(), v.doubleValue());
            } else {
                problems.add(Problem.of("metrics." + e.getKey(), "must be a number, got " + kind(v)
                        + (v.isTextual() ? " \"" + abbreviate(v.asText()) + "\"" : "")));
            }
        });
    }

    private static void stderr(JsonNode stderr, BenchmarkResult.Builder b, List<Problem> problems) {
        if (stderr == null || stderr.isNull()) {
            return;
        }
        if (!stderr.isObject()) {
            problems.add(Problem.of("stderr", "must be a JSON object of metric name -> standard error, got "
                    + kind(stderr)));
            return;
        }
        stderr.fields().forEachRemaining(e -> {
            if (e.getValue().isNumber()) {
                b.stderr(e.getKey(), e.getValue().doubleValue());
            } else {
                problems.add(Problem.of("stderr." + e.getKey(), "must be a number, got " + kind(e.getValue())));
            }
        });
    }

    // "n": one whole number for every metric, or an object of metric name -> whole number.
    private static void sampleSizes(JsonNode n, BenchmarkResult.Builder b, List<Problem> problems) {
        if (n == null || n.isNull()) {
            return;
        }
        if (n.isNumber()) {
            if (!isWholeNumber(n)) {
                problems.add(Problem.of("n", "must be a whole number of examples, got " + n.asText()));
            } else {
                b.sampleSize(n.longValue());
            }
            return;
        }
        if (!n.isObject()) {
            problems.add(Problem.of("n", "must be a whole number or a JSON object of metric name -> whole number, got "
                    + kind(n)));
            return;
        }
        n.fields().forEachRemaining(e -> {
            if (isWholeNumber(e.getValue())) {
                b.sampleSize(e.getKey(), e.getValue().longValue());
            } else {
                problems.add(Problem.of("n." + e.getKey(), "must be a whole number of examples, got "
                        + (e.getValue().isNumber() ? e.getValue().asText() : kind(e.getValue()))));
            }
        });
    }

    private static boolean isWholeNumber(JsonNode v) {
        return v.isIntegralNumber() || (v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue())
                && Math.abs(v.doubleValue()) < 9e15);
    }

    private static void tags(JsonNode tags, BenchmarkResult.Builder b, List<Problem> problems) {
        if (tags == null || tags.isNull()) {
            return;
        }
        if (!tags.isObject()) {
            problems.add(Problem.of("tags", "must be a JSON object of name -> text, got " + kind(tags)));
            return;
        }
        tags.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            if (v.isValueNode() && !v.isNull()) {
                b.tag(e.getKey(), v.asText());
            } else {
                problems.add(Problem.of("tags." + e.getKey(), "must be text, got " + kind(v)));
            }
        });
    }

    private static String string(JsonNode node, String field, List<Problem> problems) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            problems.add(Problem.of(field, "must be a string, got " + kind(v)));
            return null;
        }
        return v.asText();
    }

    private static Instant instant(JsonNode node, String field, List<Problem> problems) {
        String text = string(node, field, problems);
        if (text == null) {
            return null;
        }
        try {
            return parseInstant(text);
        } catch (DateTimeParseException e) {
            problems.add(Problem.of(field, "'" + abbreviate(text) + "' is not a date-time; use ISO-8601, "
                    + "e.g. 2026-01-31T12:00:00Z or 2026-01-31T13:00:00+01:00"));
            return null;
        }
    }

    /** Parses ISO-8601: an instant, a date-time with offset, a local date-time or a date (both taken as UTC). */
    public static Instant parseInstant(String text) {
        String t = text.trim();
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            // last form below
        }
        return Instant.parse(t);
    }

    private static String kind(JsonNode v) {
        if (v == null || v.isNull()) return "null";
        if (v.isTextual()) return "a string";
        if (v.isNumber()) return "a number";
        if (v.isBoolean()) return "a boolean";
        if (v.isArray()) return "an array";
        if (v.isObject()) return "an object";
        return v.getNodeType().toString().toLowerCase();
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    /** A result as a JSON object in the documented format (fields that are unset are left out). */
    public static ObjectNode toNode(BenchmarkResult r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("model_version", r.modelVersion());
        o.put("dataset_version", r.datasetVersion());
        if (!r.promptVersion().isEmpty()) o.put("prompt_version", r.promptVersion());
        if (r.modelProvider() != null) o.put("model_provider", r.modelProvider());
        o.put("environment", r.environment());
        ObjectNode m = o.putObject("metrics");
        r.metrics().forEach(m::put);
        if (!r.stderr().isEmpty()) {
            ObjectNode se = o.putObject("stderr");
            r.stderr().forEach(se::put);
        }
        if (!r.sampleSizes().isEmpty()) {
            ObjectNode n = o.putObject("n");
            r.sampleSizes().forEach(n::put);
        }
        if (r.runAt() != null) o.put("run_at", r.runAt().toString());
        if (r.commitSha() != null) o.put("commit_sha", r.commitSha());
        if (r.branch() != null) o.put("branch", r.branch());
        if (r.runId() != null) o.put("run_id", r.runId());
        if (r.triggeredBy() != null) o.put("triggered_by", r.triggeredBy());
        if (!r.tags().isEmpty()) {
            ObjectNode t = o.putObject("tags");
            new TreeMap<>(r.tags()).forEach(t::put);
        }
        if (r.notes() != null) o.put("notes", r.notes());
        if (!r.metadata().isEmpty()) o.set("metadata", MAPPER.valueToTree(r.metadata()));
        if (r.idempotencyKey() != null) o.put("idempotency_key", r.idempotencyKey());
        ExamplesJson.write(r, o);
        return o;
    }

    /** A result as JSON text. */
    public static String write(BenchmarkResult r) {
        return toNode(r).toString();
    }

    /** Results as a JSON array, each with the idempotency key it will be stored under. */
    static String writeForDatabase(List<BenchmarkResult> results) {
        ArrayNode array = MAPPER.createArrayNode();
        for (BenchmarkResult r : results) {
            ObjectNode o = toNode(r);
            o.remove("examples"); // stored by ExampleWriter in their own table, never in the log
            String key = IdempotencyKeys.keyFor(r);
            if (key != null) {
                o.put("idempotency_key", key);
            }
            array.add(o);
        }
        return array.toString();
    }

    /** Metrics JSON (as stored in jsonb) to a map. */
    public static Map<String, Double> readMetrics(String json) {
        Map<String, Double> out = new TreeMap<>();
        if (json == null) {
            return out;
        }
        try {
            MAPPER.readTree(json).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().doubleValue()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("metrics column holds invalid JSON: " + json, e);
        }
        return out;
    }
}
