package dev.benchmon.detect;

import dev.benchmon.MetricDefinition;
import dev.benchmon.MetricDirection;
import dev.benchmon.MinEffect;
import dev.benchmon.ShellWord;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the detector knows about one metric: its direction (declared, else from the built-in
 * dictionary, else unknown), its kind, its declared minimum effect and whether it is a proportion.
 *
 * @param direction  the direction, or {@code null} when neither declared nor known
 * @param minEffect  the declared minimum effect (in the metric's unit or relative), or {@code null} for the kind's
 *                   default
 * @param declared   whether the direction comes from a definition (not the dictionary)
 * @param proportion whether the metric is a proportion, by {@link #isProportion}
 */
public record MetricSemantics(String metric, MetricDirection direction, MetricKind kind, MinEffect minEffect,
                              boolean declared, boolean proportion) {

    /** Units that state a metric is a proportion: a share of items, in [0, 1]. */
    public static final Set<String> PROPORTION_UNITS = Set.of("ratio", "proportion", "fraction");

    /**
     * Resolves a metric against declared definitions (by exact name) and the dictionary. The kind is
     * {@link #kind(String, MetricDefinition)}'s.
     */
    public static MetricSemantics of(String metric, Map<String, MetricDefinition> definitions) {
        MetricDefinition d = definitions.get(metric);
        MetricKind kind = kind(metric, d);
        boolean proportion = isProportion(metric, d);
        if (d != null) {
            return new MetricSemantics(metric, d.direction(), kind, d.statedMinEffect(), true, proportion);
        }
        return new MetricSemantics(metric, kind.direction(), kind, null, false, proportion);
    }

    /**
     * THE rule for a metric's kind, which sets its detection defaults ({@link DetectionSettings#forKind}): a definition
     * whose unit names a time, rate, size or cost ({@link MetricDictionary#unitKind}: {@code s}, {@code ns},
     * {@code ops/s}, {@code B/s}, {@code MB}, {@code USD}) decides, as a stated unit decides a proportion; otherwise
     * (no definition, no unit, or a unit such as {@code ratio}, {@code %} or {@code FLOPs}) the name decides
     * ({@link MetricDictionary#kind}). Why the unit first: a tool's generic stat names ({@code mean} of a
     * pytest-benchmark report, in seconds) say nothing by themselves, and judged as unknown they got the 5% relative
     * rule of young series instead of a time's 25%, so ordinary timing noise opened alerts.
     *
     * @param definition the metric's definition (declared, or stated by the file), or {@code null}
     */
    public static MetricKind kind(String metric, MetricDefinition definition) {
        return kindWithUnit(metric, definition == null ? null : definition.unit());
    }

    /** {@link #kind(String, MetricDefinition)} of a definition with this unit ({@code null}: none or no unit). */
    private static MetricKind kindWithUnit(String metric, String unit) {
        MetricKind byUnit = MetricDictionary.unitKind(unit);
        return byUnit != MetricKind.UNKNOWN ? byUnit : MetricDictionary.kind(metric);
    }

    /** The kinds a cost may be: what a run takes in time, money or energy, or memory ({@link #isCost}). */
    public static final Set<MetricKind> COST_KINDS = Set.of(MetricKind.TIME, MetricKind.COST, MetricKind.MEMORY);

    /**
     * THE rule for whether a metric is a cost, what a cost axis (the Compare page's cost against quality) may show: its
     * kind ({@link #kind(String, MetricDefinition)}: by a definition's unit, else by name) is a time, a cost or a
     * memory ({@link #COST_KINDS}: {@code latency_ms}, {@code cost_usd}, {@code peak_memory_mb}, a unit {@code s}
     * or {@code USD}), and its direction is lower-is-better. Never a score or a loss: a quality on the cost axis
     * (the page once fell back to {@code acc_norm}) draws a front that means nothing.
     *
     * @param unit      the unit the metric's definition states, or {@code null} for none
     * @param direction the metric's direction as reported ({@link #reportedDirection}: declared, else the dictionary's)
     */
    public static boolean isCost(String metric, String unit, MetricDirection direction) {
        return COST_KINDS.contains(kindWithUnit(metric, unit)) && direction == MetricDirection.LOWER_IS_BETTER;
    }

    /**
     * THE rule for whether a metric is a proportion (a share of n items, such as an accuracy), the one rule behind
     * every use of a result's {@code n} without a {@code stderr}: the detector's binomial noise floor
     * ({@link Observation#effectiveStderr}), the comparison's two-proportion z-test
     * ({@link dev.benchmon.compare.RunComparison#fallback}), the wording of changes in percentage points
     * ({@link MetricJudge#formatDelta}) and which metrics the adapters give {@code n}.
     *
     * <p>A definition that states a unit decides: a proportion exactly when the unit is {@code ratio},
     * {@code proportion} or {@code fraction} (any case); any other unit ({@code s}, {@code ms}, {@code %},
     * {@code FLOPs}) is not. Otherwise (no definition, or one without a unit) the name decides
     * ({@link MetricDictionary#isProportionName}): an accuracy-like score or error rate ({@code accuracy},
     * {@code acc,none}, {@code exact_match}, {@code f1}, {@code pass@1}, {@code error_rate}), never a name with a
     * loss, time, rate, cost, size or count in it ({@code eval_loss}, {@code perplexity}, {@code latency_ms}).
     * Generic names ({@code mean}, {@code min}, {@code score}, {@code bleu}) are not proportions. A value outside
     * [0, 1] is never treated as one, whatever this says.
     *
     * @param definition the metric's definition (declared, or stated by the file), or {@code null}
     */
    public static boolean isProportion(String metric, MetricDefinition definition) {
        return isProportionUnit(metric, definition == null ? null : definition.unit());
    }

    /** {@link #isProportion(String, MetricDefinition)} of a definition with this unit ({@code null}: none or no unit). */
    public static boolean isProportionUnit(String metric, String unit) {
        if (unit != null && !unit.isBlank()) {
            return PROPORTION_UNITS.contains(unit.trim().toLowerCase(Locale.ROOT));
        }
        return MetricDictionary.isProportionName(metric);
    }

    /**
     * The direction as benchmon reports it everywhere (tables, API, CLI): the declared or dictionary direction, else
     * {@link MetricDirection#UNKNOWN}, never a default of higher-is-better.
     */
    public MetricDirection reportedDirection() {
        return direction == null ? MetricDirection.UNKNOWN : direction;
    }

    /** Where the direction comes from: {@code declared}, {@code dictionary} or {@code unknown}. */
    public String source() {
        return declared ? "declared" : direction != null ? "dictionary" : "unknown";
    }

    /**
     * The reported direction name ({@code higher_is_better}, {@code lower_is_better}, {@code none} or {@code unknown})
     * of each of {@code metrics}, by this rule, in their order.
     */
    public static Map<String, String> directionNames(Collection<String> metrics, Map<String, MetricDefinition> definitions) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String m : metrics) {
            out.put(m, of(m, definitions).reportedDirection().sqlName());
        }
        return out;
    }

    /** Those of {@code metrics} that are proportions by {@link #isProportion}, in their order. */
    public static Set<String> proportions(Collection<String> metrics, Map<String, MetricDefinition> definitions) {
        Set<String> out = new java.util.LinkedHashSet<>();
        for (String m : metrics) {
            if (isProportion(m, definitions.get(m))) {
                out.add(m);
            }
        }
        return out;
    }

    /**
     * The detection settings for this metric: the kind's defaults and whether it is a proportion, the declared
     * minimum effect, then the request's overrides.
     */
    public DetectionSettings settings(DetectionOverrides overrides) {
        DetectionSettings s = DetectionSettings.forKind(kind).withProportion(proportion);
        if (minEffect != null) {
            s = minEffect.relative() ? s.withRelativeMinEffect(minEffect.value()) : s.withMinEffect(minEffect.value());
        }
        return overrides.apply(s);
    }

    /** The command that declares this metric's direction: {@code benchmon metrics define NAME --direction ...}. */
    public static String declareCommand(String metric) {
        return defineCommand(metric, MetricDirection.UNKNOWN);
    }

    /**
     * {@code benchmon metrics define NAME --direction D}: the metric's name quoted for a shell where it needs it, and
     * {@code direction}, or the three choices for {@link MetricDirection#UNKNOWN}.
     */
    public static String defineCommand(String metric, MetricDirection direction) {
        return defineCommand(metric, direction, "");
    }

    /**
     * {@link #defineCommand(String, MetricDirection)} with more options ({@code --unit %}) after the direction. A name
     * that begins with {@code -} ({@code -log_loss}) comes last, after {@code --}, where the command line reads it as
     * the name and not as an unknown option: {@code benchmon metrics define --direction lower_is_better -- -log_loss}.
     */
    public static String defineCommand(String metric, MetricDirection direction, String options) {
        String quoted = ShellWord.quoted(metric);
        String flags = "--direction " + (direction == MetricDirection.UNKNOWN
                ? "higher_is_better|lower_is_better|none" : direction.sqlName()) + (options.isBlank() ? "" : " " + options.strip());
        return "benchmon metrics define " + (metric.startsWith("-") ? flags + " -- " + quoted : quoted + " " + flags);
    }
}
