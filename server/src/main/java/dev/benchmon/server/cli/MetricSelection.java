package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.ValidationException.Problem;
import dev.benchmon.ingest.IdempotencyKeys;
import dev.benchmon.ingest.IngestWarning;
import dev.benchmon.ingest.ResultValidator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code --metrics PATTERN[,PATTERN...]} of {@code push} and {@code import}: the metrics of every result to keep, each
 * pattern a glob over the whole metric name ({@code *} any characters, {@code /} among them; {@code ?} one character;
 * case-sensitive, as names are). Applied to each result as read, before validation, so that a summary holding more
 * than {@link ResultValidator#MAX_METRICS} metrics (a W&B run's summary) can be sent with the ones to track. A result's
 * {@code stderr} and {@code n} of a metric left out go with it. Patterns are split at commas, so a metric whose name
 * holds one ({@code acc,none}) is matched with {@code ?} or {@code *} ({@code acc?none}). A trimmed result without a
 * key of its own is keyed by the whole result as read ({@link IdempotencyKeys#beforeSelection}).
 */
final class MetricSelection {
    /** No {@code --metrics}: every metric is kept. */
    static final MetricSelection ALL = new MetricSelection(List.of(), List.of());

    /**
     * Results skipped named in the warning, and listed with their problem in the refusal of an input none of whose
     * results holds a selected metric; beyond this they are counted, in either.
     */
    static final int MAX_SKIPPED_NAMED = 20;

    /** The option's values as given, each maybe several patterns: {@code acc,none} for advice on commas. */
    private final List<String> values;
    private final List<String> patterns;
    private final List<Pattern> globs = new ArrayList<>();
    private long results;
    private long metrics;
    private long leftOut;
    private long skipped;
    private final List<String> skippedNamed = new ArrayList<>();
    /** The first skipped results' problems, placed in their files: {@link #refusal}. */
    private final List<String> skippedProblems = new ArrayList<>();
    /** Files whose results were all skipped, with the metric definitions they stated: left out with them. */
    private final List<String> definitionsLeftOut = new ArrayList<>();

    private MetricSelection(List<String> values, List<String> patterns) {
        this.values = List.copyOf(values);
        this.patterns = List.copyOf(patterns);
        for (String p : patterns) {
            globs.add(glob(p));
        }
    }

    /**
     * The selection the option's values name (each may hold several patterns, comma-separated).
     *
     * @throws CliException (invalid input) for an empty pattern
     */
    static MetricSelection of(List<String> values) {
        if (values == null || values.isEmpty()) {
            return ALL;
        }
        List<String> patterns = new ArrayList<>();
        for (String value : values) {
            for (String p : value.split(",", -1)) {
                if (p.isEmpty()) {
                    throw new CliException(ExitCodes.INVALID_INPUT, CliException.invalidOption("--metrics",
                            "holds an empty pattern in '" + value + "'; give glob patterns separated by commas, e.g. "
                                    + "--metrics 'eval/*,loss'"));
                }
                patterns.add(p);
            }
        }
        return new MetricSelection(values, patterns);
    }

    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); ) {
            int c = pattern.codePointAt(i);
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(new String(Character.toChars(c))));
            i += Character.charCount(c);
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private boolean selected(String metric) {
        return globs.stream().anyMatch(g -> g.matcher(metric).matches());
    }

    /**
     * Leaves out of {@code result} (a result object as read) every metric no pattern matches, with its stderr and n.
     *
     * @return the problem (unplaced) when the result holds metrics and none of them matches; nothing is left out then
     */
    Optional<Problem> applyTo(JsonNode result) {
        if (globs.isEmpty() || !(result instanceof ObjectNode o) || !(o.get("metrics") instanceof ObjectNode m)
                || m.isEmpty()) {
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        m.fieldNames().forEachRemaining(name -> {
            if (!selected(name)) {
                out.add(name);
            }
        });
        if (out.size() == m.size()) {
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = m.fieldNames(); it.hasNext() && names.size() < 10; ) {
                names.add(it.next());
            }
            String advice = commaAdvice(names);
            return Optional.of(Problem.of("metrics", "none of its " + m.size() + " metrics matches --metrics '"
                    + String.join(",", patterns) + "' (it holds " + String.join(", ", names)
                    + (m.size() > names.size() ? ", ..." : "") + "): " + (advice.isEmpty()
                    ? "give patterns that match the metrics to keep" : advice)));
        }
        if (!o.hasNonNull("idempotency_key")) {
            // Keyed by the whole result before the trim: another selection of the same file is the same result
            // (already present, or refused for holding more), never a second one.
            o.put("idempotency_key", IdempotencyKeys.beforeSelection(o));
        }
        results++;
        metrics += m.size();
        leftOut += out.size();
        m.remove(out);
        for (String field : List.of("stderr", "n")) {
            if (o.get(field) instanceof ObjectNode per) {
                per.remove(out);
            }
        }
        return Optional.empty();
    }

    /**
     * How a name holding a comma is selected, when {@code names} (a result's metrics) hold one: --metrics splits its
     * value at commas, so {@code --metrics 'acc,none'} is the patterns {@code acc} and {@code none}, which the error
     * listing {@code acc,none} among the result's metrics seemed to contradict. Empty when no name holds a comma.
     */
    private String commaAdvice(List<String> names) {
        Optional<String> named = names.stream().filter(n -> n.indexOf(',') >= 0).findFirst();
        if (named.isEmpty()) {
            return "";
        }
        // A value that, unsplit, would have matched a name: the user meant that name.
        String meant = values.stream().filter(v -> v.indexOf(',') >= 0)
                .filter(v -> names.stream().anyMatch(n -> glob(v).matcher(n).matches())).findFirst()
                .orElse(named.get());
        Optional<String> split = values.stream().filter(v -> v.indexOf(',') >= 0).findFirst();
        String select = "to select a metric whose name holds a comma, put ? (any one character) in the comma's place: "
                + "--metrics '" + meant.replace(',', '?') + "'";
        return split.map(v -> "--metrics splits its value at commas, so '" + v + "' is the patterns '"
                        + String.join("' and '", v.split(",", -1)) + "'; " + select)
                .orElse("give patterns that match the metrics to keep; " + select + " (--metrics splits its value at "
                        + "commas)");
    }

    /**
     * Applies the selection to a result object as read ({@link #applyTo}) and skips it when it holds none of the
     * metrics selected: the input goes on without it, {@link #warnings} names it, and {@link #refusal} lists its problem
     * should no result of the input hold one. The same for every reader (push's and import's, in memory or streamed).
     *
     * @param label  the file, as refusals name it ({@code <stdin>} for standard input)
     * @param where  {@code " (result 2 of b.json)"} when the input is several files, else empty: appended to the
     *               result's number ({@link ResultInputs#inFile})
     * @param index  the result's index among its file's results
     * @param line   the line of its file the result starts on; 0 when not known or not needed (a file of one result)
     * @param number the result's index among all files' results, skipped ones counted
     * @return whether the result is skipped
     */
    boolean skips(JsonNode result, String label, String where, int index, long line, long number) {
        Optional<Problem> none = applyTo(result);
        if (none.isEmpty()) {
            return false;
        }
        skipped++;
        if (skippedNamed.size() < MAX_SKIPPED_NAMED) {
            String series = result.path("model_version").asText("?") + " / " + result.path("dataset_version").asText("?");
            List<String> names = new ArrayList<>();
            result.path("metrics").fieldNames().forEachRemaining(n -> {
                if (names.size() < 5) {
                    names.add(n);
                }
            });
            skippedNamed.add(dev.benchmon.ResultPlace.label(number) + where + " " + series + " (" + String.join(", ", names)
                    + (result.path("metrics").size() > names.size() ? ", ..." : "") + ")");
            Problem p = none.get().at(index);
            skippedProblems.add(ResultInputs.located(label, line > 0 ? ResultInputs.onLine(p, line) : p));
        }
        return true;
    }

    /**
     * The refusal's lines when no result of the input holds a metric selected: the first {@value #MAX_SKIPPED_NAMED}
     * skipped results' problems ({@code file: line 3: result 3, results[2].metrics: none of its 2 metrics matches ...}), then how many
     * more were skipped.
     */
    List<String> refusal() {
        List<String> out = new ArrayList<>(skippedProblems);
        if (skipped > skippedProblems.size()) {
            out.add("... and " + (skipped - skippedProblems.size()) + " more result(s) skipped: they hold none of the "
                    + "metrics --metrics '" + String.join(",", patterns) + "' selects either");
        }
        return out;
    }

    /**
     * Notes that file {@code label}'s {@code definitions} are left out, as every result of it was {@link #skips skipped}:
     * {@link #warnings} says so (the definitions of metrics no kept result holds). Nothing when it states none.
     */
    void leaveOut(String label, java.util.Map<String, ?> definitions) {
        if (!definitions.isEmpty()) {
            List<String> names = definitions.keySet().stream().sorted().limit(5).toList();
            definitionsLeftOut.add(label + " (" + String.join(", ", names)
                    + (definitions.size() > names.size() ? ", ..." : "") + ")");
        }
    }

    /** How many results {@link #skips} left out. */
    long skipped() {
        return skipped;
    }

    /**
     * How many metrics {@link #applyTo} left out, which results were {@link #skips skipped} for holding none of the
     * metrics selected, and whose metric definitions were {@link #leaveOut left out} with them, as warnings of the
     * input as a whole; none without --metrics.
     */
    List<IngestWarning> warnings() {
        if (globs.isEmpty()) {
            return List.of();
        }
        List<IngestWarning> out = new ArrayList<>();
        out.add(new IngestWarning(-1, "metrics", "--metrics '" + String.join(",", patterns) + "' kept "
                + (metrics - leftOut) + " of the " + metrics + " metrics of " + results + " result(s); " + leftOut
                + " left out"));
        if (skipped > 0) {
            out.add(new IngestWarning(-1, "metrics", skipped + " result(s) hold none of the metrics --metrics '"
                    + String.join(",", patterns) + "' selects and were skipped (not stored): "
                    + String.join("; ", skippedNamed) + (skipped > skippedNamed.size() ? "; and "
                    + (skipped - skippedNamed.size()) + " more" : "")));
        }
        if (!definitionsLeftOut.isEmpty()) {
            out.add(new IngestWarning(-1, "metric_definitions", "--metrics '" + String.join(",", patterns) + "' skipped "
                    + "every result of " + String.join(", ", definitionsLeftOut.subList(0, Math.min(
                    MAX_SKIPPED_NAMED, definitionsLeftOut.size()))) + (definitionsLeftOut.size() > MAX_SKIPPED_NAMED
                    ? " and " + (definitionsLeftOut.size() - MAX_SKIPPED_NAMED) + " more file(s)" : "")
                    + ", so the metric definitions stated there were left out with them (not defined); "
                    + "define the ones wanted with benchmon metrics define"));
        }
        return out;
    }
}
