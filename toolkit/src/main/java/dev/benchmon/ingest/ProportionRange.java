package dev.benchmon.ingest;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.MetricDefinition;
import dev.benchmon.ResultPlace;
import dev.benchmon.detect.MetricSemantics;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Values of a proportion outside [0, 1]: an accuracy sent as a percentage ({@code 87.5} for 0.875), or a ratio gone
 * wrong ({@code 1.7}, {@code -0.3}). They are stored as sent (a metric's unit is the sender's to choose), but a
 * proportion's value outside [0, 1] is judged as a plain number ({@link MetricSemantics#isProportion}), charted beside
 * fractions and compared with them, so the sender is told, naming the metric, the first such result and how to fix it.
 *
 * <p>Which metrics are proportions is {@link MetricSemantics#isProportion}'s rule: a definition's unit decides (the
 * database's, else the one the input states), else the name ({@code accuracy}, {@code f1}, {@code exact_match}).
 * One warning per metric however many results hold such a value, so that a large import says it once. Memory is one
 * entry per metric name, whatever the number of results: {@link #add} may see a stream of any length.
 */
public final class ProportionRange {
    /**
     * The words after the value that begin every warning of this check ({@code 87.5 is outside [0, 1], though accuracy
     * ...}): how a client tells the warning of a server that sends no warning {@code code} (before 2026-12-06).
     */
    public static final String OUTSIDE = " is outside [0, 1], though ";

    /** The first result with such a value of one metric, and how many there are. */
    private record Found(long index, double value, String series, long count) {
    }

    private final Map<String, Found> outside = new LinkedHashMap<>();

    /**
     * Words of a name that say its values are no share even when the rest names one: a percentage
     * ({@code accuracy_pct}, {@code accuracy_percent}) or a difference ({@code accuracy_delta}, {@code f1_diff}), which
     * may be negative. Applied with the name rule only: a definition's unit ({@code ratio}) decides whatever the name.
     */
    private static final java.util.regex.Pattern NOT_A_SHARE = java.util.regex.Pattern.compile(
            "(?i)(^|[^a-z])(pct|percent|percentage|delta|diff|difference|change)([^a-z]|$)");

    /** Notes {@code result}, the one at 0-based {@code index} of the input: its metrics' values outside [0, 1]. */
    public void add(long index, BenchmarkResult result) {
        result.metrics().forEach((name, value) -> {
            if (value < 0 || value > 1) {
                outside.merge(name, new Found(index, value, result.series(), 1),
                        (first, next) -> new Found(first.index(), first.value(), first.series(), first.count() + 1));
            }
        });
    }

    /**
     * One warning per metric that is a proportion and had a value outside [0, 1]: field {@code metrics.NAME}, at the
     * first such result. {@code declared} reads the database's definitions of the names it is given (called only when
     * some value is outside [0, 1]); {@code stated} are the input's own, which a declared one replaces.
     */
    public List<IngestWarning> warnings(Map<String, MetricDefinition> stated,
                                        Function<Collection<String>, Map<String, MetricDefinition>> declared) {
        return warnings(stated, declared, "in all");
    }

    /**
     * {@link #warnings(Map, Function)} whose count of the results holding such a value is said to be {@code scope}
     * ({@code in all}; {@code in this request} for one request of a push that may send several).
     */
    public List<IngestWarning> warnings(Map<String, MetricDefinition> stated,
                                        Function<Collection<String>, Map<String, MetricDefinition>> declared,
                                        String scope) {
        if (outside.isEmpty()) {
            return List.of();
        }
        Map<String, MetricDefinition> inDatabase = declared.apply(List.copyOf(outside.keySet()));
        return outside.entrySet().stream().flatMap(e -> {
            String name = e.getKey();
            MetricDefinition definition = inDatabase.getOrDefault(name, stated.get(name));
            boolean byUnit = definition != null && definition.unit() != null && !definition.unit().isBlank();
            if (!MetricSemantics.isProportion(name, definition) || !byUnit && NOT_A_SHARE.matcher(name).find()) {
                return java.util.stream.Stream.empty();
            }
            Found f = e.getValue();
            String why = byUnit ? "its definition's unit is '" + definition.unit().strip() + "'" : "by its name";
            String more = f.count() > 1 ? String.format(Locale.ROOT, "; %,d result(s) %s hold such a value of it",
                    f.count(), scope) : "";
            // The command that says so keeps the metric's direction (define takes one with every definition).
            dev.benchmon.MetricDirection direction = MetricSemantics.of(name, definition == null ? Map.of()
                    : Map.of(name, definition)).reportedDirection();
            String visible = TextRules.visible(name);
            // A percentage is the likely slip from 2 up to 100 (87.5); just above 1 it is more likely a share gone wrong.
            String fix = f.value() >= 2 && f.value() <= 100
                    ? String.format(Locale.ROOT, "Send a share as a fraction (%s for %s%%), or, if %s is a percentage, "
                            + "define it so: %s", java.math.BigDecimal.valueOf(f.value()).movePointLeft(2)
                            .stripTrailingZeros().toPlainString(), plain(f.value()), TextRules.quoted(name),
                            MetricSemantics.defineCommand(visible, direction, "--unit %"))
                    : String.format(Locale.ROOT, "A share lies in [0, 1]: check how it is computed, or, if %s is no "
                            + "share, define its unit: %s", TextRules.quoted(name),
                            MetricSemantics.defineCommand(visible, direction, "--unit UNIT"));
            String message = String.format(Locale.ROOT, "%s" + OUTSIDE + "%s is a proportion (%s): stored "
                    + "as sent, but judged as a plain number and charted beside its fractions%s. %s", plain(f.value()),
                    TextRules.quoted(name), why, more, fix);
            return java.util.stream.Stream.of(IngestWarning.ofResult((int) Math.min(f.index(), Integer.MAX_VALUE),
                    ResultPlace.key("metrics", name), message, f.series(), IngestWarning.Kind.PROPORTION_OUT_OF_RANGE));
        }).toList();
    }

    /** {@link #warnings(Map, Function)} with the definitions {@code benchmon}'s database holds. */
    public List<IngestWarning> warnings(Map<String, MetricDefinition> stated, dev.benchmon.Benchmon benchmon) {
        return warnings(stated, definitionsIn(benchmon));
    }

    /** The definitions {@code benchmon}'s database holds of the names it is given. */
    private static Function<Collection<String>, Map<String, MetricDefinition>> definitionsIn(dev.benchmon.Benchmon benchmon) {
        return names -> benchmon.jdbi().withHandle(h -> dev.benchmon.detect.DetectionService.definitionsIn(h, names));
    }

    /**
     * The warnings of {@code results} (numbered from 0 in their order), their count said to be {@code scope}
     * ({@code in all}, {@code in this request}), against definitions already read ({@code declared}, by name: every
     * definition the database held, as a write's judgement read them in its transaction,
     * {@link dev.benchmon.Benchmon.Recorded#definitions}); {@code stated} are the input's own, which a declared one
     * replaces. Reads nothing.
     */
    public static List<IngestWarning> of(List<BenchmarkResult> results, Map<String, MetricDefinition> stated,
                                         Map<String, MetricDefinition> declared, String scope) {
        return of(results).warnings(stated, names -> {
            Map<String, MetricDefinition> of = new java.util.HashMap<>();
            names.forEach(n -> {
                MetricDefinition d = declared.get(n);
                if (d != null) {
                    of.put(n, d);
                }
            });
            return of;
        }, scope);
    }

    /** The values of {@code results} (numbered from 0 in their order) outside [0, 1], noted. */
    private static ProportionRange of(List<BenchmarkResult> results) {
        ProportionRange range = new ProportionRange();
        for (int i = 0; i < results.size(); i++) {
            range.add(i, results.get(i));
        }
        return range;
    }

    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
