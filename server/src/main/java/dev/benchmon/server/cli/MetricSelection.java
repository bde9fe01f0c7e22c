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
    static final MetricSelection ALL = new MetricSelection(List.of());

    private final List<String> patterns;
    private final List<Pattern> globs = new ArrayList<>();
    private long results;
    private long metrics;
    private long leftOut;

    private MetricSelection(List<String> patterns) {
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
        return new MetricSelection(patterns);
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
            return Optional.of(Problem.of("metrics", "none of its " + m.size() + " metrics matches --metrics '"
                    + String.join(",", patterns) + "' (it holds " + String.join(", ", names)
                    + (m.size() > names.size() ? ", ..." : "") + "): give patterns that match the metrics to keep"));
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

    /** How many metrics {@link #applyTo} left out, as a warning of the input as a whole; none without --metrics. */
    Optional<IngestWarning> warning() {
        if (globs.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new IngestWarning(-1, "metrics", "--metrics '" + String.join(",", patterns) + "' kept "
                + (metrics - leftOut) + " of the " + metrics + " metrics of " + results + " result(s); " + leftOut
                + " left out"));
    }
}
