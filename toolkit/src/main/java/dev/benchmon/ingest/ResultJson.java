package dev.benchmon.ingest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.MetricDefinition;
import dev.benchmon.MetricDirection;
import dev.benchmon.MinEffect;
import dev.benchmon.ResultPlace;
import dev.benchmon.ValidationException;
import dev.benchmon.ValidationException.Problem;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON form of results: one object, an array, {@code {"results": [...]}} (optionally with a
 * {@code "metric_definitions"} object beside {@code "results"}) or JSON Lines. Reading reports type
 * errors (a metric that is an array, an unknown field, a duplicate key) and content errors (a missing
 * model_version) together, each with its field and, in a batch, its index.
 *
 * <p>By default reading is lenient about values ML tools write when a run goes wrong: a metric value
 * that is NaN, Infinity, null or not a number is dropped from its result with an {@link IngestWarning}
 * naming the result, the metric and the value, and the rest is kept (a result left with no metric is
 * still refused). A numeric string ({@code "0.5"}) is read as its number, with a warning. With
 * {@code strict} every such value refuses the whole input instead, as before. A {@code run_at} without
 * a zone is read as UTC with a warning in both modes (see {@link Timestamps}). A number literal beyond double range
 * ({@code 1e400}) is no such value: it is refused in both modes as beyond {@link ResultValidator#MAX_MAGNITUDE}.
 */
public final class ResultJson {
    /** Every field a result object may have. */
    public static final List<String> FIELDS = List.of("model_version", "dataset_version", "prompt_version",
            "model_provider", "environment", "metrics", "stderr", "n", "run_at", "run_at_sent", "commit_sha", "branch", "run_id", "triggered_by",
            "tags", "notes", "metadata", "idempotency_key", "examples", RunExclusion.FIELD);
    private static final Set<String> FIELD_SET = Set.copyOf(FIELDS);
    /** Fields of the wrapper object {@code {"results": [...], "metric_definitions": {...}}}. */
    public static final List<String> WRAPPER_FIELDS = List.of("results", "metric_definitions");
    /** Fields of one entry of {@code metric_definitions}. */
    public static final List<String> DEFINITION_FIELDS = List.of("direction", "unit", "min_effect", "description");

    // NaN and Infinity are read so that they can be dropped (or refused) with a clear message, not a
    // parse error. A key given twice in one object is an error, never "the last one wins".
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // Jackson's FastDoubleParser: exact (the same double as the JDK's parser), and the JDK's was 15% of a
            // 1,000-row history's server time. The writer stays the JDK's here: idempotency keys and the COPY text
            // are written as Double.toString writes numbers (StreamedRows uses the fast writer for answers).
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            // A decimal node (a number beyond double range, a tag value: ExactBeyondDouble) keeps its digits as written,
            // so that a refusal names it so (1.50, not 1.5).
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();
    private static final Pattern NUMERIC_TEXT = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    /** A number written as a percentage ({@code "76.5%"}, {@code "76.5 %"}), as a spreadsheet formats a cell. */
    private static final Pattern PERCENT_TEXT = Pattern.compile("\\s*([+-]?(\\d+\\.?\\d*|\\.\\d+))\\s*%\\s*");

    /**
     * The problem with a metric value written as a percentage ({@code "76.5%"}), or null for any other value. Refused
     * in lenient mode too, where other text is dropped with a warning: a tool's junk (null, NaN, an object) is a
     * value missing, but a percentage is a measurement the sender meant to store, and neither 76.5 nor 0.765 can be
     * chosen for them (a series holding fractions would read 76.5 as a jump of 100 times).
     */
    static Problem percentText(String field, JsonNode v) {
        if (v == null || !v.isTextual()) {
            return null;
        }
        java.util.regex.Matcher m = PERCENT_TEXT.matcher(v.asText());
        if (!m.matches()) {
            return null;
        }
        String number = m.group(1);
        String fraction = new java.math.BigDecimal(number).movePointLeft(2).stripTrailingZeros().toPlainString();
        // The reader cannot see the stored results, so both readings are offered: the scale is the sender's to say.
        return Problem.of(field, "must be a number, got the percentage " + describe(v) + ": write it in the scale the "
                + "metric's other results use, " + fraction + " as a fraction or " + number + " in percent (then say so "
                + "once: benchmon metrics define NAME --unit %)");
    }

    /** Whether {@code v} is text holding a decimal number ({@code "0.5"}), which a metric value reads as its number. */
    public static boolean isNumericText(JsonNode v) {
        return v != null && v.isTextual() && NUMERIC_TEXT.matcher(v.asText()).matches();
    }

    private ResultJson() {
    }

    /** The shared, configured Jackson mapper. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Reads exactly one result object (strict: a NaN metric refuses it). */
    public static BenchmarkResult parseOne(String json) {
        List<JsonNode> roots = readRoots(json);
        if (roots.size() != 1 || !roots.get(0).isObject()) {
            throw new ValidationException(Problem.of("body",
                    "expected one JSON object with model_version, dataset_version and metrics; use listFromJson for several"));
        }
        List<Problem> problems = new ArrayList<>();
        BenchmarkResult r = fromNode(roots.get(0), problems, new ArrayList<>(), 0, true);
        if (!problems.isEmpty()) {
            throw new ValidationException(problems);
        }
        return r;
    }

    /** Reads any number of results, strictly: one bad value fails the lot, listing every problem. */
    public static List<BenchmarkResult> parseMany(String json) {
        return read(json, true).results();
    }

    /** Reads results from already-parsed JSON (a request body), strictly: object, array or {"results": [...]}. */
    public static List<BenchmarkResult> fromTree(JsonNode root) {
        return read(List.of(root), true).results();
    }

    /**
     * Reads results, the {@code metric_definitions} beside them and the warnings about values not
     * stored as sent.
     *
     * @param strict refuse the whole input for a NaN, Infinity, null or non-numeric metric value
     *               instead of dropping the value with a warning
     * @throws ValidationException naming every problem (nothing of the input is usable)
     */
    public static ParsedResults read(String json, boolean strict) {
        return read(readRoots(json), strict);
    }

    /** {@link #read(String, boolean)} for parsed JSON roots. */
    public static ParsedResults read(List<JsonNode> roots, boolean strict) {
        List<JsonNode> nodes = elements(roots);
        Map<String, MetricDefinition> definitions = definitions(roots);
        ParsedResults parsed = fromNodes(nodes, strict);
        return new ParsedResults(parsed.results(), definitions, parsed.warnings());
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
            if (isWrapper(root)) {
                List<Problem> problems = new ArrayList<>();
                root.fieldNames().forEachRemaining(name -> {
                    if (!WRAPPER_FIELDS.contains(name)) {
                        problems.add(Problem.of(name, "unknown field beside \"results\" (allowed: "
                                + String.join(", ", WRAPPER_FIELDS) + ")"));
                    }
                });
                JsonNode results = root.get("results");
                if (results == null || !results.isArray()) {
                    problems.add(Problem.of("results", "must be an array of result objects"));
                }
                if (!problems.isEmpty()) {
                    throw new ValidationException(problems);
                }
                return toList(results);
            }
        }
        return isDefinitionsLine(roots) ? roots.subList(1, roots.size()) : roots;
    }

    /**
     * Whether {@code roots} are JSON Lines whose first line states the metric definitions,
     * {@code {"metric_definitions": {...}}} and nothing else, before the results (as {@code benchmon export history
     * --format jsonl} writes them): the form the {@code {"results": [...], "metric_definitions": ...}} wrapper takes
     * in JSON Lines, read first so that a streaming reader knows them before the results.
     */
    public static boolean isDefinitionsLine(List<JsonNode> roots) {
        return roots.size() > 1 && isDefinitionsLine(roots.get(0));
    }

    /** Whether {@code root} is {@code {"metric_definitions": ...}} alone (see {@link #isDefinitionsLine(List)}). */
    public static boolean isDefinitionsLine(JsonNode root) {
        return root.isObject() && root.size() == 1 && root.has("metric_definitions");
    }

    private static boolean isWrapper(JsonNode root) {
        return root.isObject() && (root.has("results") || root.has("metric_definitions")) && !root.has("model_version");
    }

    /**
     * The {@code metric_definitions} object beside {@code results}, validated: metric name to
     * {@code {"direction": "higher_is_better" | "lower_is_better" | "none", "unit": "...",
     * "min_effect": number > 0 or "2%", "description": "..."}} (direction required). Empty when there is none.
     *
     * @throws ValidationException naming every problem, as {@code metric_definitions.NAME.FIELD}
     */
    public static Map<String, MetricDefinition> definitions(List<JsonNode> roots) {
        if (!isDefinitionsLine(roots)
                && (roots.size() != 1 || !isWrapper(roots.get(0)) || !roots.get(0).has("metric_definitions"))) {
            return Map.of();
        }
        JsonNode defs = roots.get(0).get("metric_definitions");
        if (defs.isNull()) {
            return Map.of();
        }
        if (!defs.isObject()) {
            throw new ValidationException(Problem.of("metric_definitions", "must be a JSON object of metric name -> "
                    + "{\"direction\": ..., \"unit\": ..., \"min_effect\": ...}, got " + kind(defs)));
        }
        Map<String, MetricDefinition> out = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        defs.fields().forEachRemaining(e -> {
            String name = e.getKey();
            String field = ResultPlace.key("metric_definitions", name);
            JsonNode d = e.getValue();
            if (!d.isObject()) {
                problems.addAll(ResultValidator.storableMetricNameProblems(field, name));
                problems.add(Problem.of(field, "must be a JSON object with direction (and optionally unit, min_effect, "
                        + "description), got " + kind(d)));
                return;
            }
            MetricDefinition definition = definition(field, name, d, field + ".", problems);
            if (definition != null) {
                out.put(name, definition);
            }
        });
        if (!problems.isEmpty()) {
            throw new ValidationException(problems);
        }
        return out;
    }

    /**
     * One metric definition object, {@code {"direction": ..., "unit": ..., "min_effect": ..., "description": ...}}
     * (direction required), and its metric's name validated: the rules of {@code metric_definitions} wherever a
     * definition is sent ({@code PUT /api/v1/metrics/{name}} too).
     *
     * @param nameField the field a problem with the name is reported under
     * @param prefix    put before the definition's field names in problems ({@code "metric_definitions.f1."}, or {@code ""})
     * @param problems  where the problems go
     * @return the definition, or {@code null} when it has problems
     */
    public static MetricDefinition definition(String nameField, String name, JsonNode d, String prefix,
                                              List<Problem> problems) {
        List<Problem> own = new ArrayList<>(ResultValidator.storableMetricNameProblems(nameField, name));
        d.fieldNames().forEachRemaining(f -> {
            if (!DEFINITION_FIELDS.contains(f)) {
                own.add(Problem.of(prefix + f, "unknown field (allowed: " + String.join(", ", DEFINITION_FIELDS) + ")"));
            }
        });
        String direction = string(d, "direction", own, prefix);
        String unit = string(d, "unit", own, prefix);
        String description = string(d, "description", own, prefix);
        own.addAll(MetricDefinition.textProblems(unit, prefix + "unit", description, prefix + "description"));
        JsonNode me = d.get("min_effect");
        MinEffect minEffect = me == null || me.isNull() ? null : definitionMinEffect(me, prefix + "min_effect", own);
        MetricDirection dir = null;
        if (direction == null) {
            JsonNode sent = d.get("direction");
            if (sent == null || sent.isNull()) { // one sent as another type is refused above, once
                own.add(Problem.of(prefix + "direction", "is required: higher_is_better, lower_is_better or none"));
            }
        } else {
            try {
                dir = MetricDirection.parse(direction);
            } catch (ValidationException ex) {
                ex.problems().forEach(p -> own.add(Problem.of(prefix + "direction", p.message())));
            }
        }
        problems.addAll(own);
        return own.isEmpty() ? new MetricDefinition(name, dir, unit, null, description).withMinEffect(minEffect) : null;
    }

    /**
     * A definition's {@code min_effect}: a number in the metric's unit, or text as {@link MinEffect#parse} reads it
     * ({@code "2%"}, relative to the baseline); above 0 (a definition of 0 would count every change).
     */
    private static MinEffect definitionMinEffect(JsonNode me, String field, List<Problem> problems) {
        try {
            MinEffect m = me.isNumber() ? new MinEffect(me.doubleValue(), false)
                    : me.isTextual() ? MinEffect.parse(field, me.asText()) : null;
            if (m != null && m.value() > 0) {
                return m;
            }
        } catch (ValidationException e) {
            // reported below, in the rule's one wording, whatever the node was
        }
        problems.add(Problem.of(field, MinEffect.RULE + ", got " + (me.isNumber() || me.isTextual() ? me.asText()
                : kind(me))));
        return null;
    }

    /** Converts and validates every node strictly; throws once with all problems. */
    public static List<BenchmarkResult> fromNodes(List<JsonNode> nodes) {
        return fromNodes(nodes, true).results();
    }

    /**
     * Converts and validates every node; throws once with all problems. Without {@code strict},
     * non-finite and non-numeric metric values are dropped with warnings (see the class comment).
     */
    public static ParsedResults fromNodes(List<JsonNode> nodes, boolean strict) {
        List<BenchmarkResult> results = new ArrayList<>(nodes.size());
        List<Problem> problems = new ArrayList<>();
        List<IngestWarning> warnings = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            List<Problem> own = new ArrayList<>();
            BenchmarkResult r = fromNode(nodes.get(i), own, warnings, i, strict);
            for (Problem p : own) {
                problems.add(p.at(i));
            }
            results.add(r);
        }
        if (!problems.isEmpty()) {
            throw new ValidationException(problems);
        }
        return new ParsedResults(results, Map.of(), warnings);
    }

    /**
     * Converts and validates one node of a stream ({@link JsonResultReader}) that is result number
     * {@code index} (0-based) of the input: problems are added placed at {@code index} and the result
     * is {@code null} when there are any; warnings (placed at {@code index}) name what was dropped.
     */
    public static BenchmarkResult fromNode(JsonNode node, int index, boolean strict, List<Problem> problems,
                                           List<IngestWarning> warnings) {
        List<Problem> own = new ArrayList<>();
        BenchmarkResult r = fromNode(node, own, warnings, index, strict);
        own.forEach(p -> problems.add(p.at(index)));
        return own.isEmpty() ? r : null;
    }

    /** Parses every root value in the text (one, or several for JSON Lines). */
    public static List<JsonNode> readRoots(String json) {
        return readRoots(json, null);
    }

    /**
     * As {@link #readRoots(String)}, adding to {@code lines} (when not {@code null}) the line (1-based) each root value
     * starts on: for JSON Lines, the file's line, blank lines counted.
     */
    public static List<JsonNode> readRoots(String json, List<Long> lines) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        List<JsonNode> roots = new ArrayList<>();
        try (JsonParser parser = new ExactBeyondDouble(MAPPER.createParser(json))) {
            // As readValues(String) reads, which it did before the parser was wrapped: a top-level array's elements
            // are the roots.
            if (parser.nextToken() == JsonToken.START_ARRAY) {
                parser.clearCurrentToken();
            }
            try (MappingIterator<JsonNode> it = MAPPER.readerFor(JsonNode.class).readValues(parser)) {
                while (it.hasNextValue()) {
                    if (lines != null) {
                        lines.add((long) parser.getTokenLocation().getLineNr());
                    }
                    roots.add(it.nextValue());
                }
            }
        } catch (JsonProcessingException e) {
            throw new ValidationException(resultsJsonProblem(json, e));
        } catch (IOException | RuntimeException e) {
            Throwable cause = e.getCause() instanceof JsonProcessingException ? e.getCause() : e;
            if (cause instanceof JsonProcessingException jp) {
                throw new ValidationException(resultsJsonProblem(json, jp));
            }
            throw new ValidationException(Problem.of("body", "is not valid JSON: " + inUserTerms(String.valueOf(cause.getMessage()))));
        }
        return roots;
    }

    /**
     * One JSON value read as {@link #readRoots} reads results (a number beyond double range as a decimal, so that it
     * is refused as too large rather than taken for Infinity): for JSON held in a cell of another format (CSV).
     *
     * @throws JsonProcessingException when the text is not one JSON value
     */
    public static JsonNode readTree(String json) throws JsonProcessingException {
        return readTree(json, false);
    }

    /**
     * A result's {@code tags} object held on its own in a cell of another format (a CSV {@code tags} cell): read as
     * {@link #readTree} reads, and a number among its values kept as written ({@code 1.50}, {@code 1e3}) as in a
     * result's own tags, so that it is refused naming those digits. Any JSON value is returned; the caller checks it is
     * an object.
     *
     * @throws JsonProcessingException when the text is not one JSON value
     */
    public static JsonNode readTags(String json) throws JsonProcessingException {
        return readTree(json, true);
    }

    private static JsonNode readTree(String json, boolean tags) throws JsonProcessingException {
        try (JsonParser parser = new ExactBeyondDouble(MAPPER.createParser(json), tags)) {
            return MAPPER.readTree(parser);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a String is read without I/O
        }
    }

    /**
     * The problem with JSON that did not parse, in the words of its writer with its line and column (a duplicate key
     * names the key: {"model_version": "a", "model_version": "b"} is ambiguous, so refused); for every reader of JSON.
     */
    public static Problem jsonProblem(JsonProcessingException e) {
        return jsonProblem(e, e.getLocation(), 0, false);
    }

    /**
     * {@link #jsonProblem(JsonProcessingException)} for {@code text}, which failed with {@code e}: JSON that ends too
     * soon (an object not closed) is placed where its content ends, on its last line that holds something, not after
     * the line breaks that follow it ({@link ContentEnd}). For every reader of a JSON body whose text it holds.
     */
    public static Problem jsonProblem(String text, JsonProcessingException e) {
        return jsonProblem(e, where(text, e), 0, false);
    }

    /**
     * {@link #jsonProblem(JsonProcessingException)} for JSON that holds results (a result, an array of them,
     * {@code {"results": [...]}} or JSON Lines): a key given twice in a result is named as any problem of a result's
     * field is, by the result's index and the field's path in it ({@code result 1, results[0].metrics.f1}, {@link dev.benchmon.ValidationException.Problem#where}); one in
     * {@code metric_definitions} by its path there.
     */
    public static Problem resultsJsonProblem(JsonProcessingException e) {
        return jsonProblem(e, e.getLocation(), 0, true);
    }

    /** {@link #resultsJsonProblem(JsonProcessingException)} placed at {@code at} ({@link #where}). */
    static Problem resultsJsonProblem(JsonProcessingException e, JsonLocation at) {
        return jsonProblem(e, at, 0, true);
    }

    /**
     * Where {@code e}, which {@code text} failed with, places its problem: where the parser stopped, but for JSON that
     * ends too soon, where its content ends ({@link ContentEnd}).
     */
    private static JsonLocation where(String text, JsonProcessingException e) {
        return e instanceof JsonEOFException ? ContentEnd.of(text).after(e.getLocation()) : e.getLocation();
    }

    /**
     * {@link #jsonProblem(JsonProcessingException)} placed at {@code at} (or nowhere, when {@code null}) in JSON that
     * starts after {@code linesBefore} lines of its input; {@code results}: it holds results ({@link #resultsJsonProblem}).
     */
    private static Problem jsonProblem(JsonProcessingException e, JsonLocation at, int linesBefore, boolean results) {
        String message = e.getOriginalMessage() == null ? String.valueOf(e.getMessage()) : e.getOriginalMessage();
        Matcher dup = DUPLICATE.matcher(message);
        if (dup.find()) {
            String says = "is given twice in one JSON object" + locationOf(at, linesBefore)
                    + "; each key may appear once (benchmon does not pick one)";
            List<Object> path = parsePath(e);
            if (path.size() < 2 || !dup.group(1).equals(path.get(path.size() - 1))) {
                return Problem.of(dup.group(1), says); // the parser did not say where: the key alone
            }
            return placed(path, results, says);
        }
        return Problem.of("body", "is not valid JSON: " + inUserTerms(message, linesBefore) + locationOf(at, linesBefore));
    }

    /**
     * Where the parser that failed with {@code e} stood, from the root down: which root value (an Integer, 0 but in
     * JSON Lines), then each object's field name (a String) and each array's index (an Integer); empty when the
     * exception does not carry its parser.
     */
    private static List<Object> parsePath(JsonProcessingException e) {
        List<Object> path = new ArrayList<>();
        if (e instanceof com.fasterxml.jackson.core.exc.StreamReadException read && read.getProcessor() != null) {
            for (com.fasterxml.jackson.core.JsonStreamContext c = read.getProcessor().getParsingContext(); c != null;
                 c = c.getParent()) {
                path.add(0, c.inObject() ? c.getCurrentName() : (Object) Math.max(0, c.getCurrentIndex()));
            }
        }
        return path;
    }

    /**
     * A problem of the field at {@code path} ({@link #parsePath}): in results, by the result's index (its place in
     * {@code results}, in a top-level array or among JSON Lines) and its path in the result ({@code result 1, results[0].metrics.f1}, {@link dev.benchmon.ValidationException.Problem#where});
     * elsewhere, and in {@code metric_definitions}, by its path in the document ({@code run.data.metrics[2].key}).
     */
    private static Problem placed(List<Object> path, boolean results, String message) {
        int root = (Integer) path.get(0);
        List<Object> rest = path.subList(1, path.size());
        if (!results || "metric_definitions".equals(rest.get(0))) {
            return Problem.of(dotted(rest), message);
        }
        if (rest.get(0) instanceof Integer index && rest.size() > 1) { // a top-level array of results
            return new Problem(index, dotted(rest.subList(1, rest.size())), message);
        }
        if ("results".equals(rest.get(0)) && rest.size() > 2 && rest.get(1) instanceof Integer index) {
            return new Problem(index, dotted(rest.subList(2, rest.size())), message);
        }
        return new Problem(root, dotted(rest), message); // a result of its own (one object, a line of JSON Lines)
    }

    /** {@code metrics.f1}, {@code run.data.metrics[2].key}: names joined with dots, indexes in brackets. */
    private static String dotted(List<Object> path) {
        StringBuilder b = new StringBuilder();
        for (Object step : path) {
            b.append(step instanceof Integer i ? "[" + i + "]" : (b.length() == 0 ? "" : ".") + step);
        }
        return b.toString();
    }

    /**
     * The problem with {@code json}, which failed with {@code e}: for JSON Lines (its first line is one whole object),
     * the first line before the one {@code e} names that is no JSON value by itself. JSON Lines holds one value per line,
     * yet a parser of the whole text reads on past a line whose object is not closed and fails on the next line
     * ({@code a ',' or '}' must follow a value in an object, got '{'} at line 4 for line 3's missing brace).
     */
    private static Problem resultsJsonProblem(String json, JsonProcessingException e) {
        JsonLocation at = where(json, e);
        int failedAt = at == null ? 0 : at.getLineNr();
        int line = 0;
        boolean first = true;
        for (int start = 0; start < json.length() && line + 1 < failedAt; line++) {
            int end = json.indexOf('\n', start);
            end = end < 0 ? json.length() : end;
            String text = json.substring(start, end);
            start = end + 1;
            if (text.isBlank()) {
                continue;
            }
            Problem alone = lineProblem(text, line);
            if (first && (alone != null || !text.strip().startsWith("{"))) {
                break; // not JSON Lines: a pretty-printed object, an array
            }
            first = false;
            if (alone != null) {
                return alone;
            }
        }
        return jsonProblem(e, at, 0, true);
    }

    /** The problem with one line of JSON Lines read by itself, placed after {@code linesBefore} lines; null when it parses. */
    private static Problem lineProblem(String line, int linesBefore) {
        try (JsonParser parser = new ExactBeyondDouble(MAPPER.createParser(line))) {
            MAPPER.readTree(parser);
            return null;
        } catch (JsonProcessingException e) {
            return jsonProblem(e, where(line, e), linesBefore, true);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a String is read without I/O
        }
    }

    /**
     * That an object ({@code kind} {@code "object"}) or array starting at {@code line}, {@code column} is not closed
     * where its JSON ends: the words of every reader's such problem (JSON Lines' line ends its JSON).
     */
    public static String unclosed(String kind, long line, long column) {
        return "the JSON ends before the " + kind + " that starts at line " + line + ", column " + column + " is closed";
    }

    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'", Pattern.DOTALL);
    private static final Pattern UNCLOSED = Pattern.compile("Unexpected end-of-input: expected close marker for "
            + "(Object|Array) \\(start marker at \\[Source: .*?; line: (\\d+), column: (\\d+)\\]\\)", Pattern.DOTALL);
    private static final Pattern TOO_DEEP = Pattern.compile("Document nesting depth \\(\\d+\\) exceeds the maximum "
            + "allowed \\((\\d+), from `[^`]*`\\)");
    private static final Pattern TOO_LONG = Pattern.compile("(String|Number|Name) value length \\((\\d+)\\) exceeds "
            + "the maximum allowed \\((\\d+), from `[^`]*`\\)");
    private static final Pattern UNEXPECTED_CHARACTER = Pattern.compile(
            "^Unexpected character \\(.*? \\(code (\\d+)\\)\\)( in numeric value)?: (.*)", Pattern.DOTALL);
    private static final Pattern UNRECOGNIZED_TOKEN = Pattern.compile("^Unrecognized token '(.*?)': was expecting", Pattern.DOTALL);
    private static final Pattern NOTHING_TO_CLOSE = Pattern.compile("^Unexpected close marker '(.)': no open (Object|Array) to close");
    private static final Pattern WRONG_CLOSE = Pattern.compile("^Unexpected close marker '(.)': expected '(.)'");
    private static final Pattern BAD_ESCAPE = Pattern.compile("^Unrecognized character escape .*? \\(code (\\d+)\\)", Pattern.DOTALL);
    private static final Pattern CONTROL_CHARACTER = Pattern.compile("^Illegal unquoted character \\(\\(CTRL-CHAR, code (\\d+)\\)\\)");
    private static final Pattern PARSER_TERMS = Pattern.compile(" ?\\((?:start marker at )?\\[Source: [^\\]]*\\]\\)"
            + "|, from `[^`]*`|\\s*at \\[Source: [^\\]]*\\]");

    /** A Jackson message's pattern and what it says in the words of someone who wrote the JSON. */
    private record Rewording(Pattern pattern, Function<Matcher, String> words) {
        static Rewording startingWith(String prefix, String words) {
            return new Rewording(Pattern.compile("^" + Pattern.quote(prefix)), m -> words);
        }
    }

    /** Tried in order; the first whose pattern is found says the problem. */
    private static final List<Rewording> REWORDINGS = List.of(
            new Rewording(TOO_DEEP, m -> "nested deeper than " + m.group(1) + " levels (objects and arrays within each other)"),
            new Rewording(TOO_LONG, m -> "a " + m.group(1).toLowerCase(java.util.Locale.ROOT) + " is " + m.group(2)
                    + " characters long; at most " + m.group(3)),
            new Rewording(UNEXPECTED_CHARACTER, m -> unexpectedCharacter(Integer.parseInt(m.group(1)), m.group(2) != null, m.group(3))),
            new Rewording(UNRECOGNIZED_TOKEN, m -> "'" + TextRules.visible(m.group(1)) + "' is not a JSON value: text must be "
                    + "in double quotes, and true, false and null in lower case"),
            new Rewording(NOTHING_TO_CLOSE, m -> "'" + m.group(1) + "' closes nothing: no " + m.group(2).toLowerCase(java.util.Locale.ROOT)
                    + " is open here (one '" + m.group(1) + "' too many?)"),
            new Rewording(WRONG_CLOSE, m -> "'" + m.group(1) + "' where '" + m.group(2) + "' must first close the "
                    + ("]".equals(m.group(2)) ? "array" : "object") + " that is open"),
            new Rewording(BAD_ESCAPE, m -> "'\\" + shown(Integer.parseInt(m.group(1)), false) + "' is not a JSON escape (a "
                    + "backslash in a string is written \\\\; the escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX)"),
            new Rewording(CONTROL_CHARACTER, m -> controlCharacter(Integer.parseInt(m.group(1)))),
            Rewording.startingWith("Unexpected end-of-input: was expecting closing quote for a string value",
                    "the JSON ends inside a string: its closing double quote is missing"),
            Rewording.startingWith("Unexpected end-of-input in field name",
                    "the JSON ends inside a field name: its closing double quote is missing"),
            Rewording.startingWith("Invalid numeric value: Leading zeroes not allowed", "a number must not start with 0 (write 7, not 07)"));

    /**
     * Jackson's message in the words of someone who wrote the JSON: what is wrong and where, without the parser's
     * internals (its source description, its settings' names). The location follows as (line, column).
     */
    private static String inUserTerms(String message) {
        return inUserTerms(message, 0);
    }

    /** {@link #inUserTerms(String)} for JSON that starts after {@code linesBefore} lines of its input. */
    private static String inUserTerms(String message, int linesBefore) {
        Matcher unclosed = UNCLOSED.matcher(message);
        if (unclosed.find()) {
            return unclosed(unclosed.group(1).toLowerCase(java.util.Locale.ROOT),
                    Long.parseLong(unclosed.group(2)) + linesBefore, Long.parseLong(unclosed.group(3)));
        }
        for (Rewording r : REWORDINGS) {
            Matcher m = r.pattern().matcher(message);
            if (m.find()) {
                return r.words().apply(m);
            }
        }
        return PARSER_TERMS.matcher(message).replaceAll("");
    }

    /** A control character written raw inside a JSON string, and how to write it escaped. */
    private static String controlCharacter(int code) {
        return "a string holds " + (code == '\n' ? "a line break" : code == '\t' ? "a tab" : code == '\r' ? "a carriage return"
                : "the control character " + String.format("U+%04X", code)) + " as it is; write it escaped, as "
                + (code == '\n' ? "\\n" : code == '\t' ? "\\t" : code == '\r' ? "\\r" : String.format("\\u%04x", code));
    }

    /** Jackson's "Unexpected character (... (code N)): rest" said as what the writer of the JSON should change. */
    private static String unexpectedCharacter(int code, boolean inNumber, String rest) {
        String got = shown(code, true);
        if (inNumber) {
            if (rest.contains("minus sign")) {
                return "a digit must follow '-' in a number, got " + got;
            }
            if (rest.contains("Decimal point")) {
                return "a digit must follow the decimal point in a number, got " + got;
            }
            if (rest.contains("Exponent")) {
                return "a digit must follow the exponent's 'e' in a number, got " + got;
            }
            if (rest.contains("plus sign")) {
                return "a number must not start with '+'";
            }
            return "a number is malformed at " + got;
        }
        if (rest.startsWith("was expecting double-quote to start field name")) {
            return code == '}' ? "a comma is followed by '}': JSON allows no comma after an object's last field"
                    : code == '\'' ? "a field name must be in double quotes, not single quotes"
                    : "a field name must be in double quotes, got " + got;
        }
        if (rest.startsWith("was expecting a colon")) {
            return "a ':' must follow a field name, got " + got;
        }
        if (rest.startsWith("was expecting comma to separate Array")) {
            return "a ',' or ']' must follow a value in an array, got " + got;
        }
        if (rest.startsWith("was expecting comma to separate Object")) {
            return "a ',' or '}' must follow a value in an object, got " + got;
        }
        if (rest.startsWith("expected a hex-digit")) {
            return "a \\u escape needs four hex digits (such as \\u00e9), got " + got;
        }
        if (rest.startsWith("expected a valid value") || rest.startsWith("expected a value")) {
            if (code == ']') {
                return "a value is missing before ']': JSON allows no comma after an array's last value";
            }
            if (code == '\'') {
                return "text must be in double quotes, not single quotes";
            }
            return "a value (a string in double quotes, a number, an object, an array, true, false or null) must "
                    + "start here, got " + got;
        }
        return "unexpected character " + got;
    }

    /** A character as a message shows it: quoted when printable ({@code quoted}), else by its code point. */
    private static String shown(int code, boolean quoted) {
        if (Character.isISOControl(code) || !Character.isDefined(code) || Character.isWhitespace(code)) {
            return String.format("U+%04X", code);
        }
        String c = new String(Character.toChars(code));
        return quoted ? "'" + c + "'" : c;
    }

    private static String locationOf(JsonLocation at, int linesBefore) {
        return at == null ? "" : location(at.getLineNr() + linesBefore, at.getColumnNr());
    }

    /** A place in JSON as a problem's message ends with it, {@code " (line 3, column 46)"} (ResultInputs reads it). */
    public static String location(long line, long column) {
        return " (line " + line + ", column " + column + ")";
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> list = new ArrayList<>(array.size());
        array.forEach(list::add);
        return list;
    }

    /** A metric value that was not stored as sent; turned into a warning once the result is known valid. */
    private record Note(String field, String message, IngestWarning.Kind kind) {
        Note(String field, String message) {
            this(field, message, IngestWarning.Kind.OTHER);
        }
    }

    /**
     * Converts one node; adds problems (unplaced) and returns {@code null} when it is not a valid
     * result; adds warnings (placed at {@code index}) for what it dropped or reinterpreted.
     */
    static BenchmarkResult fromNode(JsonNode node, List<Problem> problems, List<IngestWarning> warnings, int index,
                                    boolean strict) {
        if (node == null || !node.isObject()) {
            problems.add(Problem.of("result", "must be a JSON object, got " + kind(node)));
            return null;
        }
        List<Problem> typeProblems = new ArrayList<>();
        List<Note> notes = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!FIELD_SET.contains(name)) {
                // A mistyped field ("metrcs") is also why the result then lacks it: name the field meant first.
                typeProblems.add(Problem.of(TextRules.visible(name), "unknown field" + ClosestNames.didYouMean(name, FIELDS)
                        + " (allowed: " + String.join(", ", FIELDS) + ")"));
            }
        }
        BenchmarkResult.Builder b = BenchmarkResult.builder()
                .modelVersion(string(node, "model_version", typeProblems, ""))
                .datasetVersion(string(node, "dataset_version", typeProblems, ""))
                .promptVersion(string(node, "prompt_version", typeProblems, ""))
                .modelProvider(string(node, "model_provider", typeProblems, ""))
                .environment(string(node, "environment", typeProblems, ""))
                .commitSha(string(node, "commit_sha", typeProblems, ""))
                .branch(string(node, "branch", typeProblems, ""))
                .runId(string(node, "run_id", typeProblems, ""))
                .triggeredBy(string(node, "triggered_by", typeProblems, ""))
                .notes(string(node, "notes", typeProblems, ""))
                .idempotencyKey(string(node, "idempotency_key", typeProblems, ""))
                .runAt(runAt(node.get("run_at"), typeProblems, notes))
                .runAtSent(runAtSent(node.get("run_at_sent"), typeProblems));
        Set<String> dropped = metrics(node.get("metrics"), b, typeProblems, notes, strict);
        Set<String> droppedNames = new java.util.HashSet<>();
        metricsOf(node).forEach(name -> {
            if (dropped.stream().anyMatch(d -> d.startsWith(ResultPlace.key("metrics", name) + " "))) {
                droppedNames.add(name);
            }
        });
        stderr(node.get("stderr"), b, typeProblems, droppedNames, notes, strict);
        sampleSizes(node.get("n"), b, typeProblems, droppedNames);
        tags(node.get("tags"), b, typeProblems);
        ExamplesJson.read(node.get("examples"), b, typeProblems);
        RunExclusion.of(node, typeProblems); // checked with the result; applied once it is stored (no part of it)
        JsonNode metadata = node.get("metadata");
        if (metadata != null && !metadata.isNull()) {
            if (!metadata.isObject()) {
                typeProblems.add(Problem.of("metadata", "must be a JSON object, got " + kind(metadata)));
            } else {
                String bad = badMetadataText(metadata, "metadata");
                if (bad != null) {
                    typeProblems.add(Problem.of("metadata", bad));
                } else {
                    b.metadata(MAPPER.convertValue(finiteMetadata(metadata, "metadata", notes), LinkedHashMap.class));
                }
            }
        }
        if (!dropped.isEmpty() && b.hasNoMetrics() && typeProblems.stream().noneMatch(p -> p.field().startsWith("metrics"))) {
            typeProblems.add(Problem.of("metrics", "has no finite metric left once these were dropped: "
                    + String.join("; ", dropped) + "; " + NEEDS_A_NUMBER));
        }
        try {
            BenchmarkResult r = b.build();
            problems.addAll(typeProblems);
            if (typeProblems.isEmpty()) {
                notes.forEach(n -> warnings.add(IngestWarning.ofResult(index, n.field(), n.message(), r.series(),
                        n.kind())));
                return r;
            }
            return null;
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

    private static List<String> metricsOf(JsonNode node) {
        List<String> names = new ArrayList<>();
        JsonNode m = node.get("metrics");
        if (m != null && m.isObject()) {
            m.fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    /**
     * {@code node} with each NaN or Infinity replaced by {@code null}, with a note naming it: JSON has no such number,
     * and stored as it is read, jsonb would keep the text {@code "NaN"}, silently a string where a number was sent.
     */
    private static JsonNode finiteMetadata(JsonNode node, String path, List<Note> notes) {
        if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
            notes.add(new Note(path, "value " + describe(node) + (beyondDouble(node) ? " is beyond the range of a double"
                    : " is not a JSON number") + ": stored as null"));
            return com.fasterxml.jackson.databind.node.NullNode.getInstance();
        }
        // Copied only once a value in it is replaced: metadata without NaN (nearly all) is returned as it is.
        JsonNode copy = node;
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = finiteMetadata(e.getValue(), path + "." + TextRules.visible(e.getKey()), notes);
                if (v != e.getValue()) {
                    copy = copy == node ? node.deepCopy() : copy;
                    ((ObjectNode) copy).set(e.getKey(), v);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode v = finiteMetadata(node.get(i), path + "[" + i + "]", notes);
                if (v != node.get(i)) {
                    copy = copy == node ? node.deepCopy() : copy;
                    ((ArrayNode) copy).set(i, v);
                }
            }
        }
        return copy;
    }

    /** NUL and lone surrogates cannot be stored in jsonb; anything else in metadata is kept as sent. */
    private static String badMetadataText(JsonNode node, String path) {
        if (node.isTextual()) {
            return badStorable(node.asText(), path);
        }
        if (node.isContainerNode()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String bad = badStorable(e.getKey(), path + " key");
                if (bad == null) {
                    bad = badMetadataText(e.getValue(), path + "." + TextRules.visible(e.getKey()));
                }
                if (bad != null) {
                    return bad;
                }
            }
            for (JsonNode element : node.isArray() ? node : MAPPER.createArrayNode()) {
                String bad = badMetadataText(element, path + "[]");
                if (bad != null) {
                    return bad;
                }
            }
        }
        return null;
    }

    private static String badStorable(String text, String path) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return path + " holds the NUL character (\\u0000), which PostgreSQL cannot store";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return path + " holds a lone surrogate \\u" + String.format("%04X", (int) c)
                        + " (not a character: send valid UTF-8/UTF-16 text)";
            }
        }
        return null;
    }

    /**
     * Whether one field is the other or lies within it ({@code metrics} and {@code metrics.f1}): the validator's problem
     * then repeats the type problem. Fields that merely start alike do not: an unknown {@code model} says nothing of a
     * missing {@code model_version}.
     */
    private static boolean overlaps(String a, String b) {
        return a.equals(b) || within(a, b) || within(b, a);
    }

    private static boolean within(String inner, String outer) {
        return inner.length() > outer.length() && inner.startsWith(outer)
                && (inner.charAt(outer.length()) == '.' || inner.charAt(outer.length()) == '[');
    }

    /**
     * Adds the metrics; returns those dropped (non-finite or non-numeric, lenient mode only) or refused as beyond
     * double range, as {@code metrics.NAME VALUE}.
     */
    private static Set<String> metrics(JsonNode metrics, BenchmarkResult.Builder b, List<Problem> problems,
                                       List<Note> notes, boolean strict) {
        Set<String> dropped = new java.util.LinkedHashSet<>();
        if (metrics == null || metrics.isNull()) {
            return dropped; // "is required" comes from the validator
        }
        if (!metrics.isObject()) {
            problems.add(Problem.of("metrics", "must be a JSON object of name -> number, got " + kind(metrics)));
            return dropped;
        }
        metrics.fields().forEachRemaining(e -> {
            String name = e.getKey();
            String field = ResultPlace.key("metrics", name);
            JsonNode v = e.getValue();
            Double value = null;
            String why;
            // Numeric text ("0.5") is read as its number in lenient mode; NaN when there is none to read.
            double text = !strict && isNumericText(v)
                    ? Double.parseDouble(v.asText()) : Double.NaN;
            Problem percent = percentText(field, v);
            if (percent != null) {
                problems.add(percent);
                dropped.add(field + " " + describe(v)); // as 1e400 below: its stderr and n name a metric sent
                return;
            }
            if (beyondDouble(v) || Double.isInfinite(text)) {
                // 1e400 (or "1e400", read as a number): refused in lenient mode too, not a missing value but a
                // mistake. Listed with the dropped so that its stderr and n are not reported as naming no metric.
                problems.add(ResultValidator.tooLarge(field, v.isTextual() ? v.asText() : describe(v)));
                dropped.add(field + " " + describe(v));
                return;
            }
            if (v.isNumber()) {
                double d = v.doubleValue();
                if (Double.isFinite(d)) {
                    value = d;
                    why = null;
                } else {
                    why = droppedWhy(v);
                }
            } else if (Double.isFinite(text)) {
                value = text;
                why = null;
                notes.add(new Note(field, "the string \"" + v.asText() + "\" was read as the number " + value));
            } else {
                why = droppedWhy(v);
            }
            if (value != null) {
                b.metric(name, value);
            } else if (strict) {
                problems.add(Problem.of(field, v.isNumber() ? "must be a finite number, got " + describe(v)
                        : "must be a number, got " + kind(v) + (v.isTextual() ? " " + describe(v) : "")));
            } else {
                dropped.add(field + " " + describe(v));
                notes.add(new Note(field, "value " + describe(v) + " dropped: " + why + "; the result's other "
                        + "metrics are stored (push with --strict, or ?strict=true, to refuse the input instead)",
                        IngestWarning.Kind.METRIC_VALUE_DROPPED));
            }
        });
        return dropped;
    }

    /**
     * What a result left without a metric to store is told, after what was dropped from it ({@code metrics: has no
     * finite metric left once these were dropped: ...; a result needs at least one number}).
     */
    public static final String NEEDS_A_NUMBER = "a result needs at least one number";

    /**
     * Why a metric's value {@code v} is dropped from its result when not strict ({@code "abc" is not a number},
     * {@code NaN is not a finite number}), or {@code null} when it is read as a number (a finite number, or text
     * holding one such as {@code "0.5"}). What a dropped value's warning says, and what a CSV cell that left its row
     * without a number is refused with ({@code dev.benchmon.server.api.CsvResults}).
     */
    public static String droppedWhy(JsonNode v) {
        if (v.isNumber()) {
            return Double.isFinite(v.doubleValue()) ? null : describe(v) + " is not a finite number";
        }
        return isNumericText(v) && Double.isFinite(Double.parseDouble(v.asText())) ? null
                : describe(v) + " is not a number";
    }

    /**
     * A number literal beyond double range ({@code 1e400}): {@link ExactBeyondDouble} reads it as a decimal. As a
     * double it would be Infinity; it is refused as beyond {@link ResultValidator#MAX_MAGNITUDE} instead.
     */
    static boolean beyondDouble(JsonNode v) {
        // A whole number of 309 digits or more is read as a BigInteger (Jackson's own choice), as large a mistake.
        return (v.isBigDecimal() || v.isBigInteger()) && Double.isInfinite(v.doubleValue());
    }

    static String describe(JsonNode v) {
        if (v.isBigDecimal()) {
            // As written, but for the exponent's form: 1E+400 is shown as 1e400.
            return v.decimalValue().toString().replace("E+", "e").replace('E', 'e');
        }
        if (beyondDouble(v)) { // a whole number of hundreds of digits, shown by its first ones: 1.23457e399
            return new java.math.BigDecimal(v.bigIntegerValue()).round(new java.math.MathContext(6)).stripTrailingZeros()
                    .toString().replace("E+", "e");
        }
        if (v.isNumber()) {
            double d = v.doubleValue();
            return Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity") : v.asText();
        }
        if (v.isTextual()) {
            return "\"" + TextRules.quoted(v.asText()) + "\"";
        }
        return TextRules.quoted(v.toString());
    }

    /**
     * Adds the standard errors. One that is NaN, Infinity or null is dropped with a warning in lenient mode, as a
     * metric's value is, and its metric kept: numpy writes NaN for the standard error of one sample, and a value
     * without its uncertainty is still the value. A negative one or text stays a problem (a mistake, not a missing
     * value); under strict, NaN and null are refused too (the validator's "must be a finite number >= 0").
     */
    private static void stderr(JsonNode stderr, BenchmarkResult.Builder b, List<Problem> problems, Set<String> dropped,
                               List<Note> notes, boolean strict) {
        if (stderr == null || stderr.isNull()) {
            return;
        }
        if (!stderr.isObject()) {
            problems.add(Problem.of("stderr", "must be a JSON object of metric name -> standard error, got "
                    + kind(stderr)));
            return;
        }
        stderr.fields().forEachRemaining(e -> {
            if (dropped.contains(e.getKey())) {
                return; // its metric was dropped: the uncertainty of nothing is nothing
            }
            String field = ResultPlace.key("stderr", e.getKey());
            JsonNode v = e.getValue();
            if (beyondDouble(v)) {
                problems.add(ResultValidator.tooLarge(field, describe(v)));
            } else if (!strict && (v.isNull() || v.isNumber() && !Double.isFinite(v.doubleValue()))) {
                notes.add(new Note(field, "value " + describe(v) + " dropped: " + describe(v) + " is not a finite "
                        + "number; the metric is stored without a standard error (push with --strict, or "
                        + "?strict=true, to refuse the input instead)"));
            } else if (v.isNumber()) {
                b.stderr(e.getKey(), v.doubleValue());
            } else {
                problems.add(Problem.of(field, "must be a number, got " + kind(v)));
            }
        });
    }

    // "n": one whole number for every metric, or an object of metric name -> whole number.
    private static void sampleSizes(JsonNode n, BenchmarkResult.Builder b, List<Problem> problems, Set<String> dropped) {
        if (n == null || n.isNull()) {
            return;
        }
        if (n.isNumber()) {
            if (!isWholeNumber(n)) {
                problems.add(Problem.of("n", notACount(n)));
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
            if (dropped.contains(e.getKey())) {
                return;
            }
            if (isWholeNumber(e.getValue())) {
                b.sampleSize(e.getKey(), e.getValue().longValue());
            } else {
                problems.add(Problem.of(ResultPlace.key("n", e.getKey()), e.getValue().isNumber() ? notACount(e.getValue())
                        : "must be a whole number of examples, got " + kind(e.getValue())));
            }
        });
    }

    /**
     * A whole number below 9e15 in magnitude, which a {@code long} and a double both hold exactly. An integer literal
     * past a long's range is read as a BigInteger, whose {@code longValue()} wraps around (18446744073709551621 to 5).
     */
    private static boolean isWholeNumber(JsonNode v) {
        return v.isIntegralNumber() ? v.canConvertToLong() && Math.abs(v.longValue()) < 9e15
                : v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue()) && Math.abs(v.doubleValue()) < 9e15;
    }

    /** Why a number that {@link #isWholeNumber} refused is no count of examples. */
    private static String notACount(JsonNode v) {
        return v.isIntegralNumber() || Math.abs(v.doubleValue()) >= 9e15
                ? "is beyond any count of examples (at most 9e15), got " + describe(v)
                : "must be a whole number of examples, got " + describe(v);
    }

    private static void tags(JsonNode tags, BenchmarkResult.Builder b, List<Problem> problems) {
        if (tags == null || tags.isNull()) {
            return;
        }
        if (!tags.isObject()) {
            problems.add(Problem.of("tags", "must be a JSON object of name -> text, got " + kind(tags)));
            return;
        }
        // A number or boolean is refused, as run_id's is, not stored as Java writes it: 1e3 became '1000.0' and 1.50
        // '1.5', a tag value no one wrote, which a filter by the value as written (tag=a=1.50) then did not find.
        tags.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            if (v.isTextual()) {
                b.tag(e.getKey(), v.asText());
            } else if (v.isValueNode() && !v.isNull()) {
                problems.add(Problem.of(ResultPlace.key("tags", e.getKey()), "must be a string, got " + kind(v) + "; write \""
                        + (v.isNumber() ? describe(v) : v.asText()) + "\" in quotes"));
            } else {
                problems.add(Problem.of(ResultPlace.key("tags", e.getKey()), "must be a string, got " + kind(v)));
            }
        });
    }

    private static String string(JsonNode node, String field, List<Problem> problems, String prefix) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            problems.add(Problem.of(prefix + field, "must be a string, got " + kind(v)));
            return null;
        }
        return v.asText();
    }

    /**
     * {@code run_at_sent}: {@code false} where an export copies a result whose CI run is keyed without its run_at
     * ({@link BenchmarkResult#runAtSent}): one sent without run_at (its run_at the time its database gave it), or of a
     * tool's file whose run_id the context gave (its run_at the tool's time); {@code true}, {@code null} or absent for
     * a run_at as sent.
     */
    private static boolean runAtSent(JsonNode v, List<Problem> problems) {
        if (v == null || v.isNull()) {
            return true;
        }
        if (!v.isBoolean()) {
            problems.add(Problem.of("run_at_sent", "must be true or false (false: the result's CI run is keyed without "
                    + "its run_at, as an export writes it), got " + kind(v)));
            return true;
        }
        return v.booleanValue();
    }

    /**
     * The earliest run_at taken without a warning: an earlier one is valid (from 1970) but most likely a zero or unset
     * timestamp (an epoch of 0, a tool's default date), stored where it sorts before every real run of its series.
     */
    static final Instant PLAUSIBLE_RUN_AT = Instant.parse("2000-01-01T00:00:00Z");

    /**
     * run_at as a string in one of the {@link Timestamps#FORMS} or an epoch number; a zone-less time gets a note, and
     * so does one before {@link #PLAUSIBLE_RUN_AT}.
     */
    private static Instant runAt(JsonNode v, List<Problem> problems, List<Note> notes) {
        if (v == null || v.isNull()) {
            return null;
        }
        try {
            Timestamps.Parsed t;
            if (v.isNumber()) {
                t = Timestamps.fromEpochNumber(v);
            } else if (v.isTextual()) {
                t = Timestamps.parse(v.asText());
            } else {
                problems.add(Problem.of("run_at", "must be a date-time string or epoch number, got " + kind(v)
                        + "; use " + Timestamps.FORMS));
                return null;
            }
            if (t.zoneless()) {
                notes.add(new Note("run_at", "'" + v.asText() + "' names no time zone: read as UTC ("
                        + t.instant() + "); add Z or an offset such as +01:00 to say otherwise"));
            }
            if (t.instant().isBefore(PLAUSIBLE_RUN_AT)) {
                notes.add(new Note("run_at", "'" + v.asText() + "' (" + t.instant() + ") is before 2000: it looks like a "
                        + "zero or missing timestamp (epoch 0, or a clock or tool that never set it); stored as given, "
                        + "before every later run of its series in its history and charts. Send the time the run "
                        + "happened, or leave run_at out to have the time of arrival"));
            }
            return t.instant();
        } catch (IllegalArgumentException e) {
            problems.add(Problem.of("run_at", e.getMessage()));
            return null;
        }
    }

    /**
     * Parses a point in time in one of the {@link Timestamps#FORMS} (zone-less forms as UTC).
     *
     * @throws DateTimeParseException naming the value and the accepted forms
     */
    public static Instant parseInstant(String text) {
        try {
            return Timestamps.parse(text).instant();
        } catch (IllegalArgumentException e) {
            throw new DateTimeParseException(e.getMessage(), text, 0);
        }
    }

    /** How a JSON value is named in error messages: {@code a string}, {@code an object}, ... */
    static String kind(JsonNode v) {
        if (v == null || v.isNull()) return "null";
        if (v.isTextual()) return "a string";
        if (v.isNumber()) return "a number";
        if (v.isBoolean()) return "a boolean";
        if (v.isArray()) return "an array";
        if (v.isObject()) return "an object";
        return v.getNodeType().toString().toLowerCase();
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
        if (!r.runAtSent() && r.runId() != null) o.put("run_at_sent", false); // says how its CI run is keyed
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

    /** Metric definitions as the {@code metric_definitions} object that {@link #definitions(List)} reads. */
    public static ObjectNode definitionsNode(Map<String, MetricDefinition> definitions) {
        ObjectNode o = MAPPER.createObjectNode();
        definitions.forEach((name, d) -> {
            ObjectNode e = o.putObject(name);
            e.put("direction", d.direction().sqlName());
            if (d.unit() != null) e.put("unit", d.unit());
            if (d.statedMinEffect() != null) e.set("min_effect", minEffectNode(d.statedMinEffect()));
            if (d.description() != null) e.put("description", d.description());
        });
        return o;
    }

    /** A definition's minimum effect as JSON: a number in the metric's unit, or text such as {@code "2%"}, as it is given. */
    public static JsonNode minEffectNode(MinEffect m) {
        return m.relative() ? MAPPER.getNodeFactory().textNode(m.toString()) : MAPPER.getNodeFactory().numberNode(m.value());
    }

    /** A result as JSON text. */
    public static String write(BenchmarkResult r) {
        return toNode(r).toString();
    }

    /**
     * Metrics JSON (a flat object of numbers, as stored in jsonb) to a map sorted by name; a value that is not a
     * number is left out (before, it read as 0). {@code null} reads as an empty map; anything but an object throws. Read with the streaming parser, without building a tree (it runs once per row read).
     */
    public static Map<String, Double> readMetrics(String json) {
        Map<String, Double> out = new TreeMap<>();
        forEachMetric(json, out::put);
        return out;
    }

    /**
     * Hands each number of a metrics JSON object (as {@link #readMetrics} reads it) to {@code each}, in the
     * object's order, without building a map: for readers that place the doubles themselves (a writer that passes the
     * numbers on unchanged reads them with {@link #forEachMetricText}).
     */
    public static void forEachMetric(String json, java.util.function.ObjDoubleConsumer<String> each) {
        eachNumber(json, (name, p) -> each.accept(name, p.getDoubleValue()));
    }

    /** Receives one number of a metrics object as {@link #forEachMetricText} reads it. */
    @FunctionalInterface
    public interface MetricText {
        /** The number as written in the JSON is {@code text[offset, offset + length)}, valid during the call only. */
        void accept(String name, char[] text, int offset, int length);
    }

    /**
     * As {@link #forEachMetric}, handing over each number as its JSON text instead of a double: for writers that
     * pass numbers on unchanged (a streamed answer), which then neither parse nor format them (reading and
     * writing the doubles of a 1,000-row history took about a third of the server's CPU for it). PostgreSQL's jsonb
     * text is scanned by {@link FlatNumbers}; anything else goes through Jackson's parser. NaN and Infinity, which
     * are no JSON numbers, are left out.
     */
    public static void forEachMetricText(String json, MetricText each) {
        if (json != null && FlatNumbers.forEach(json, each)) {
            return;
        }
        eachNumber(json, (name, p) -> {
            if (!p.isNaN()) { // NaN and Infinity (the mapper reads them; jsonb never holds them) are no JSON numbers
                each.accept(name, p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            }
        });
    }

    private interface NumberAt {
        void accept(String name, JsonParser parser) throws IOException;
    }

    private static void eachNumber(String json, NumberAt each) {
        if (json == null) {
            return;
        }
        try (JsonParser p = MAPPER.getFactory().createParser(json)) {
            p.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION); // stored jsonb: its keys are unique already
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("a JSON column of numbers (metrics, stderr, sample_sizes) holds no object: " + json);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value.isNumeric()) {
                    each.accept(name, p);
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("a JSON column of numbers (metrics, stderr, sample_sizes) holds invalid JSON: " + json, e);
        }
    }
}
