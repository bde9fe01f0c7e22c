package dev.benchmon.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.ExampleOutcome;
import dev.benchmon.ValidationException;
import dev.benchmon.ValidationException.Problem;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * The {@code "examples"} field of a result: an array of {@code {"id": text, "score": number, "slice": {label: text}}},
 * and the same objects one per line in a JSON Lines file ({@code benchmon push --examples FILE}).
 * Reading reports each problem with its position, e.g. {@code examples[3].score: must be a number}; in a JSON Lines file
 * with the file's line (1-based, blank lines counted, as a JSON syntax error names it), e.g. {@code line 5: score: must be
 * a number}.
 */
public final class ExamplesJson {
    /** The most items one result may carry. */
    public static final int MAX_EXAMPLES = 1_000_000;
    /** Longest item id, slice label name or slice value. */
    public static final int MAX_TEXT = 200;
    /** The most slice labels one item may carry. */
    public static final int MAX_SLICE_LABELS = 20;
    private static final Set<String> FIELDS = Set.of("id", "score", "slice");
    /** Stop listing problems after this many: one bad file should not produce a million lines. */
    private static final int MAX_PROBLEMS = 20;

    private ExamplesJson() {
    }

    /**
     * Where the items are, for a problem's field: {@code examples[3]} and {@code examples[3].score} in a result's field,
     * {@code line 5} and {@code line 5: score} in a JSON Lines file.
     *
     * @param item the place of the item at an index of the input
     */
    private record Places(IntFunction<String> item, String separator) {
        static final Places FIELD = new Places(i -> "examples[" + i + "]", ".");

        static Places lines(List<Long> lines) {
            return new Places(i -> "line " + lines.get(i), ": ");
        }

        String of(int i) {
            return item.apply(i);
        }

        String of(int i, String field) {
            return item.apply(i) + separator + field;
        }

        /** These places for a list of the items at {@code positions} of the input. */
        Places at(List<Integer> positions) {
            return new Places(i -> item.apply(positions.get(i)), separator);
        }
    }

    /** Reads the {@code examples} field of a result node into the builder; adds problems, unplaced. */
    static void read(JsonNode examples, BenchmarkResult.Builder b, List<Problem> problems) {
        if (examples == null || examples.isNull()) {
            return;
        }
        if (!examples.isArray()) {
            problems.add(Problem.of("examples", "must be an array of {\"id\", \"score\", \"slice\"} objects, got "
                    + ResultJson.kind(examples)));
            return;
        }
        List<JsonNode> nodes = new ArrayList<>(examples.size());
        examples.forEach(nodes::add);
        b.examples(fromNodes(nodes, Places.FIELD, problems, new ArrayList<>()));
    }

    /**
     * Reads examples from JSON Lines text (one object per line; blank lines skipped).
     *
     * @throws ValidationException naming every problem, with the line number
     */
    public static List<ExampleOutcome> fromJsonLines(String text) {
        List<Long> lines = new ArrayList<>();
        List<JsonNode> nodes = ResultJson.readRoots(text, lines);
        Places places = Places.lines(lines);
        if (nodes.size() == 1 && nodes.get(0).isArray()) { // [[...]]: the items of the one array, by their place in it
            List<JsonNode> inner = new ArrayList<>();
            nodes.get(0).forEach(inner::add);
            nodes = inner;
            places = new Places(i -> "line " + lines.get(0) + ", [" + i + "]", ".");
        }
        List<Problem> problems = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        List<ExampleOutcome> out = fromNodes(nodes, places, problems, positions);
        if (nodes.isEmpty()) {
            problems.add(Problem.of("examples", "the file holds no examples"));
        }
        problems.addAll(problems(out, places.at(positions)));
        if (!problems.isEmpty()) {
            throw new ValidationException(problems);
        }
        return out;
    }

    /** The items of {@code nodes} that are valid, their indexes among {@code nodes} added to {@code positions}. */
    private static List<ExampleOutcome> fromNodes(List<JsonNode> nodes, Places places, List<Problem> problems,
                                                  List<Integer> positions) {
        List<ExampleOutcome> out = new ArrayList<>(nodes.size());
        int found = 0;
        for (int i = 0; i < nodes.size(); i++) {
            List<Problem> own = new ArrayList<>();
            ExampleOutcome e = fromNode(nodes.get(i), places, i, own);
            if (!own.isEmpty()) {
                if (found < MAX_PROBLEMS) {
                    problems.addAll(own);
                }
                found += own.size();
            } else {
                out.add(e);
                positions.add(i);
            }
        }
        if (found > MAX_PROBLEMS) {
            problems.add(Problem.of("examples", (found - MAX_PROBLEMS) + " more problem(s) in the examples not listed"));
        }
        return out;
    }

    private static ExampleOutcome fromNode(JsonNode node, Places places, int i, List<Problem> problems) {
        if (node == null || !node.isObject()) {
            problems.add(Problem.of(places.of(i), "must be an object {\"id\": text, \"score\": number}, got "
                    + ResultJson.kind(node)));
            return null;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!FIELDS.contains(name)) {
                problems.add(Problem.of(places.of(i, name), "unknown field (allowed: id, score, slice)"));
            }
        }
        JsonNode id = node.get("id");
        String idText = null;
        if (id == null || id.isNull()) {
            problems.add(Problem.of(places.of(i, "id"), "is required"));
        } else if (id.isTextual() || id.isIntegralNumber()) {
            idText = id.asText(); // integer ids are common in eval harnesses; they are kept as their text
        } else {
            problems.add(Problem.of(places.of(i, "id"), "must be text (or a whole number), got " + ResultJson.kind(id)));
        }
        JsonNode score = node.get("score");
        double value = Double.NaN;
        if (score == null || score.isNull()) {
            problems.add(Problem.of(places.of(i, "score"), "is required"));
        } else if (score.isBoolean()) {
            value = score.booleanValue() ? 1 : 0; // true/false correctness, as some harnesses write it
        } else if (ResultJson.beyondDouble(score)) { // 1e400, named as written (as a double it would be Infinity)
            problems.add(Problem.of(places.of(i, "score"), "must be a finite number, got " + ResultJson.describe(score)));
        } else if (score.isNumber()) {
            value = score.doubleValue();
        } else {
            problems.add(Problem.of(places.of(i, "score"), "must be a number (0/1 for correctness), got "
                    + ResultJson.kind(score)));
        }
        Map<String, String> slice = new TreeMap<>();
        JsonNode s = node.get("slice");
        if (s != null && !s.isNull()) {
            if (!s.isObject()) {
                problems.add(Problem.of(places.of(i, "slice"), "must be an object of label -> text, got " + ResultJson.kind(s)));
            } else {
                s.fields().forEachRemaining(e -> {
                    JsonNode v = e.getValue();
                    if (v.isValueNode() && !v.isNull()) {
                        slice.put(e.getKey(), v.asText());
                    } else {
                        problems.add(Problem.of(places.of(i, "slice." + e.getKey()), "must be text, got " + ResultJson.kind(v)));
                    }
                });
            }
        }
        if (!problems.isEmpty()) {
            return null;
        }
        return new ExampleOutcome(idText, value, slice);
    }

    /** Every rule the examples of one result break: ids, scores, slices, size; empty when valid. */
    public static List<Problem> problems(List<ExampleOutcome> examples) {
        return problems(examples, Places.FIELD);
    }

    private static List<Problem> problems(List<ExampleOutcome> examples, Places places) {
        List<Problem> problems = new ArrayList<>();
        if (examples.size() > MAX_EXAMPLES) {
            problems.add(Problem.of("examples", "at most " + MAX_EXAMPLES + " items per result, got " + examples.size()));
            return problems;
        }
        Map<String, Integer> seen = new HashMap<>(examples.size() * 2);
        for (int i = 0; i < examples.size() && problems.size() < MAX_PROBLEMS; i++) {
            ExampleOutcome e = examples.get(i);
            int at = i;
            if (e == null) {
                problems.add(Problem.of(places.of(at), "must not be null"));
                continue;
            }
            String idProblem = textProblem(e.id());
            Integer first = idProblem == null ? seen.putIfAbsent(e.id(), i) : null;
            if (idProblem != null) {
                problems.add(Problem.of(places.of(at, "id"), idProblem));
            } else if (first != null) {
                problems.add(Problem.of(places.of(at, "id"), "'" + TextRules.quoted(e.id()) + "' is given twice (first at "
                        + places.of(first) + "); each item once per result"));
            }
            if (!Double.isFinite(e.score())) {
                problems.add(Problem.of(places.of(at, "score"), "must be a finite number, got " + e.score()));
            }
            if (e.slice().size() > MAX_SLICE_LABELS) {
                problems.add(Problem.of(places.of(at, "slice"), "at most " + MAX_SLICE_LABELS + " labels, got "
                        + e.slice().size()));
            }
            e.slice().forEach((k, v) -> {
                String kp = textProblem(k);
                String vp = textProblem(v);
                if (kp != null) {
                    problems.add(Problem.of(places.of(at, "slice"), "label name " + kp));
                } else if (vp != null) { // a bad label name is not put in a field name (it may not be encodable)
                    problems.add(Problem.of(places.of(at, "slice." + k), vp));
                }
            });
        }
        return problems;
    }

    private static String textProblem(String s) {
        if (s == null || s.isBlank()) {
            return "must not be blank";
        }
        if (s.length() > MAX_TEXT) {
            return "must be at most " + MAX_TEXT + " characters, got " + s.length();
        }
        // TextRules' characters: a lone surrogate has no UTF-8 form, and the driver would store it as '?'
        // (two such ids would then collide, and the database refuse the result).
        return TextRules.firstBadCharacter(s, false);
    }

    /** Adds the result's examples (if any) to its JSON object. */
    static void write(BenchmarkResult r, ObjectNode o) {
        if (r.examples().isEmpty()) {
            return;
        }
        ArrayNode a = o.putArray("examples");
        for (ExampleOutcome e : r.examples()) {
            ObjectNode item = a.addObject().put("id", e.id());
            if (e.score() == Math.rint(e.score()) && Math.abs(e.score()) < 1e15) {
                item.put("score", (long) e.score());
            } else {
                item.put("score", e.score());
            }
            if (!e.slice().isEmpty()) {
                ObjectNode s = item.putObject("slice");
                e.slice().forEach(s::put);
            }
        }
    }
}
