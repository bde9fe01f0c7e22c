package dev.benchmon;

import dev.benchmon.ingest.RangeBound;
import dev.benchmon.ingest.TextRules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Which results a query looks at. Immutable; start from a static factory and narrow with the
 * {@code with...} methods: {@code Filter.environment("production").withModels("a", "b").withLast(Duration.ofDays(7))}.
 * An empty list means "any". Every name must be a valid name ({@link TextRules}: no control characters,
 * lone surrogates or surrounding whitespace) and is matched exactly; a name the database does not hold
 * makes the query throw {@link UnknownNameException} listing the known ones.
 *
 * @param environments environments to include
 * @param models       model versions to include
 * @param datasets     dataset versions to include
 * @param prompts      prompt versions to include
 * @param providers    model providers to include
 * @param tags         tags every result must carry (key and value)
 * @param since        earliest run_at, inclusive, or {@code null}
 * @param until        latest run_at, exclusive, or {@code null}
 * @param last         a window back from now (resolved when the query runs), or {@code null}
 * @param metrics      metrics to include in metric columns
 * @param limit        at most this many rows where a query returns rows of the log, or {@code null} (the query's
 *                     default); {@link #ALL_ROWS} for every row the filter selects ({@link #withAllRows})
 */
public record Filter(
        List<String> environments,
        List<String> models,
        List<String> datasets,
        List<String> prompts,
        List<String> providers,
        Map<String, String> tags,
        Instant since,
        Instant until,
        Duration last,
        List<String> metrics,
        Integer limit) {

    private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");
    /** A window as a person writes it: {@code -1 day}, {@code 0 seconds}, {@code 90 minutes}, not {@code PT-24H}. */
    private static String inWords(Duration d) {
        if (d.getNano() != 0) {
            return d.toString();
        }
        long s = d.getSeconds();
        long[] units = {86_400, 3_600, 60, 1};
        String[] names = {"day", "hour", "minute", "second"};
        for (int i = 0; i < units.length; i++) {
            if (s % units[i] == 0 && (s != 0 || i == units.length - 1)) {
                long n = s / units[i];
                return n + " " + names[i] + (Math.abs(n) == 1 ? "" : "s");
            }
        }
        return d.toString();
    }

    /** The longest {@code last} window: 100 years. */
    public static final Duration MAX_LAST = Duration.ofDays(36_525);
    private static final Filter ALL = new Filter(List.of(), List.of(), List.of(), List.of(), List.of(), Map.of(),
            null, null, null, List.of(), null);

    public Filter {
        List<ValidationException.Problem> problems = new ArrayList<>();
        environments = clean("environment", environments, problems);
        models = clean("model", models, problems);
        datasets = clean("dataset", datasets, problems);
        prompts = prompts == null ? List.of() : prompts.stream().distinct().toList();
        prompts.forEach(p -> problems.addAll(p == null ? List.of(ValidationException.Problem.of("prompt", "is null"))
                : TextRules.textProblems("prompt", p, TextRules.MAX_NAME_LENGTH, false)));
        providers = clean("provider", providers, problems);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        tags.forEach((k, v) -> {
            problems.addAll(TextRules.nameProblems("tag", k));
            problems.addAll(TextRules.textProblems("tag", v, TextRules.MAX_NAME_LENGTH, false));
        });
        metrics = clean("metric", metrics, problems);
        if (!problems.isEmpty()) {
            throw new InvalidArgumentException(problems);
        }
        for (var bound : new Object[][] {{"since", since}, {"until", until}}) {
            Instant t = (Instant) bound[1];
            if (t != null && (t.isBefore(EARLIEST) || t.isAfter(LATEST))) {
                problems.add(ValidationException.Problem.of((String) bound[0], "must be between 0000-01-01 and "
                        + "9999-12-31, got " + t));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidArgumentException(problems);
        }
        if (last != null && (last.isNegative() || last.isZero())) {
            throw new InvalidArgumentException(ValidationException.Problem.of("last",
                    "must be a positive window like Duration.ofDays(7) or Duration.ofHours(24), got " + inWords(last)));
        }
        if (last != null && last.compareTo(MAX_LAST) > 0) {
            throw new InvalidArgumentException(ValidationException.Problem.of("last", "window must be at most "
                    + MAX_LAST.toDays() + " days, got " + last + "; use since/until for older results"));
        }
        if (limit != null && limit < 1) {
            throw new InvalidArgumentException(ValidationException.Problem.of("limit", "must be at least 1, got " + limit));
        }
        String empty = since == null || until == null ? null
                : RangeBound.emptyRange(RangeBound.of("since", since), RangeBound.of("until", until));
        if (empty != null) {
            throw new InvalidArgumentException(ValidationException.Problem.of("until", empty));
        }
    }

    /** Everything. */
    public static Filter all() {
        return ALL;
    }

    /** Results of one environment. */
    public static Filter environment(String environment) {
        return ALL.withEnvironments(environment);
    }

    /** Results of one model version. */
    public static Filter model(String model) {
        return ALL.withModels(model);
    }

    /** Results of these model versions. */
    public static Filter models(Collection<String> models) {
        return ALL.withModels(models);
    }

    /** Results of these environments. */
    public static Filter environments(Collection<String> environments) {
        return ALL.withEnvironments(environments);
    }

    /** Results of these dataset versions. */
    public static Filter datasets(Collection<String> datasets) {
        return ALL.withDatasets(datasets);
    }

    /** Results of one dataset version. */
    public static Filter dataset(String dataset) {
        return ALL.withDatasets(dataset);
    }

    /** Results that ran within this window back from now. */
    public static Filter last(Duration window) {
        return ALL.withLast(Arguments.required(window, "window"));
    }

    /** The same as {@link #withEnvironments(String...)} for a collection, e.g. {@code List.of("a", "b")}. */
    public Filter withEnvironments(Collection<String> values) {
        return withEnvironments(Arguments.required(values, "environments").toArray(String[]::new));
    }

    public Filter withEnvironments(String... values) {
        return new Filter(names("environment", values), models, datasets, prompts, providers, tags, since, until, last, metrics, limit);
    }

    /** The same as {@link #withModels(String...)} for a collection, e.g. {@code List.of("a", "b")}. */
    public Filter withModels(Collection<String> values) {
        return withModels(Arguments.required(values, "models").toArray(String[]::new));
    }

    public Filter withModels(String... values) {
        return new Filter(environments, names("model", values), datasets, prompts, providers, tags, since, until, last, metrics, limit);
    }

    /** The same as {@link #withDatasets(String...)} for a collection, e.g. {@code List.of("a", "b")}. */
    public Filter withDatasets(Collection<String> values) {
        return withDatasets(Arguments.required(values, "datasets").toArray(String[]::new));
    }

    public Filter withDatasets(String... values) {
        return new Filter(environments, models, names("dataset", values), prompts, providers, tags, since, until, last, metrics, limit);
    }

    /** The same as {@link #withPrompts(String...)} for a collection, e.g. {@code List.of("a", "b")}. */
    public Filter withPrompts(Collection<String> values) {
        return withPrompts(Arguments.required(values, "prompts").toArray(String[]::new));
    }

    public Filter withPrompts(String... values) {
        return new Filter(environments, models, datasets, names("prompt", values), providers, tags, since, until, last, metrics, limit);
    }

    /** The same as {@link #withProviders(String...)} for a collection, e.g. {@code List.of("a", "b")}. */
    public Filter withProviders(Collection<String> values) {
        return withProviders(Arguments.required(values, "providers").toArray(String[]::new));
    }

    public Filter withProviders(String... values) {
        return new Filter(environments, models, datasets, prompts, names("provider", values), tags, since, until, last, metrics, limit);
    }

    /** Only results tagged {@code key=value} (adds to the tags already required). */
    public Filter withTag(String key, String value) {
        Map<String, String> t = new TreeMap<>(tags);
        t.put(key, value);
        return new Filter(environments, models, datasets, prompts, providers, t, since, until, last, metrics, limit);
    }

    /**
     * Results from {@code value} on (inclusive).
     *
     * @throws InvalidArgumentException naming {@code until} when the filter's {@link #until()} is not after it
     *                                  ({@link RangeBound#emptyRange})
     */
    public Filter withSince(Instant value) {
        return new Filter(environments, models, datasets, prompts, providers, tags, value, until, last, metrics, limit);
    }

    /**
     * Results before {@code value} (exclusive).
     *
     * @throws InvalidArgumentException naming {@code until} when it is not after the filter's {@link #since()}:
     *                                  {@code until 2026-11-30T00:00:00Z must be after since 2026-12-05T00:00:00Z}
     */
    public Filter withUntil(Instant value) {
        return new Filter(environments, models, datasets, prompts, providers, tags, since, value, last, metrics, limit);
    }

    /** Only results that ran within this window back from the time the query runs. */
    public Filter withLast(Duration window) {
        return new Filter(environments, models, datasets, prompts, providers, tags, since, until, window, metrics, limit);
    }

    /** The same as {@link #withMetrics(String...)} for a collection, e.g. {@code List.of("a", "b")}. */
    public Filter withMetrics(Collection<String> values) {
        return withMetrics(Arguments.required(values, "metrics").toArray(String[]::new));
    }

    public Filter withMetrics(String... values) {
        return new Filter(environments, models, datasets, prompts, providers, tags, since, until, last, names("metric", values), limit);
    }

    public Filter withLimit(int value) {
        return new Filter(environments, models, datasets, prompts, providers, tags, since, until, last, metrics, value);
    }

    /**
     * The {@link #limit} of a read of every row the filter selects ({@link #withAllRows}): the largest int, which no
     * log reaches.
     */
    public static final int ALL_ROWS = Integer.MAX_VALUE;

    /**
     * This filter without a row limit: every row it selects, oldest first in a history file ({@code export history
     * --all}, {@code GET /api/v1/history?limit=all&format=jsonl}), which streams from the database's cursor in constant
     * memory. A Tablesaw table of the history ({@code Benchmon.history}) holds every row in memory: narrow the
     * filter for one.
     */
    public Filter withAllRows() {
        return withLimit(ALL_ROWS);
    }

    /** Whether this filter reads every row it selects ({@link #withAllRows}). */
    public boolean allRows() {
        return limit != null && limit == ALL_ROWS;
    }

    /**
     * The effective lower bound on run_at at {@code now}: the later of {@link #since()} and
     * {@code now - last}, or {@code null}.
     */
    public Instant effectiveSince(Instant now) {
        Instant fromWindow = last == null ? null : now.minus(last);
        if (fromWindow == null) {
            return since;
        }
        return since == null || fromWindow.isAfter(since) ? fromWindow : since;
    }

    /** Only the parts that narrow something, e.g. {@code Filter[environments=[production], last=PT168H]}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (!environments.isEmpty()) parts.add("environments=" + environments);
        if (!models.isEmpty()) parts.add("models=" + models);
        if (!datasets.isEmpty()) parts.add("datasets=" + datasets);
        if (!prompts.isEmpty()) parts.add("prompts=" + prompts);
        if (!providers.isEmpty()) parts.add("providers=" + providers);
        if (!tags.isEmpty()) parts.add("tags=" + new TreeMap<>(tags));
        if (since != null) parts.add("since=" + since);
        if (until != null) parts.add("until=" + until);
        if (last != null) parts.add("last=" + last);
        if (!metrics.isEmpty()) parts.add("metrics=" + metrics);
        if (limit != null) parts.add("limit=" + (allRows() ? "all" : limit));
        return "Filter[" + (parts.isEmpty() ? "all" : String.join(", ", parts)) + "]";
    }

    /**
     * The names given to a {@code with...} call: a {@code null} array or name is refused naming {@code field}
     * ({@code Filter.model(null)} would otherwise read as "every model", as a blank name does).
     */
    private static List<String> names(String field, String... values) {
        List<String> names = Arrays.asList(Arguments.required(values, field));
        names.forEach(name -> Arguments.required(name, field));
        return names;
    }

    // Names are matched exactly as stored: never trimmed. A null or blank entry is refused (a name cannot be blank);
    // anything else must be a valid name (TextRules), so that what cannot be stored is not looked for. Problems are
    // named by the query parameter that carries them (environment, model, ...).
    private static List<String> clean(String field, List<String> values, List<ValidationException.Problem> problems) {
        if (values == null) {
            return List.of();
        }
        // A null or blank name is refused, not dropped: dropped, Filter.model("") was every model, and a query answered
        // for all of them (the API refuses ?model= as empty too).
        for (String v : values) {
            if (v == null) {
                problems.add(ValidationException.Problem.of(field, "is null: give a name, or leave the " + field
                        + " filter out"));
            } else if (v.isBlank()) {
                problems.add(ValidationException.Problem.of(field, "is empty: give a name, or leave the " + field
                        + " filter out"));
            }
        }
        List<String> kept = values.stream().filter(v -> v != null && !v.isBlank()).distinct()
                .collect(Collectors.toUnmodifiableList());
        kept.forEach(v -> problems.addAll(TextRules.nameProblems(field, v)));
        return kept;
    }
}
