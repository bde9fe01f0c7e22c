package dev.benchmon.server.web;

import dev.benchmon.Bucket;
import dev.benchmon.Filter;
import dev.benchmon.UnknownNameException;
import dev.benchmon.ingest.RangeBound;
import dev.benchmon.ingest.TextRules;
import dev.benchmon.ingest.Timestamps;
import dev.benchmon.server.api.QueryParams;
import dev.benchmon.server.http.OnOff;
import dev.benchmon.server.web.KnownNames.Kind;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The filter bar's choices, read from the URL and checked against what the database knows.
 * Invalid choices fall back to their default and are reported in {@link #problems()}, so the page
 * still renders and says what was wrong.
 *
 * @param environments the chosen environments (empty: all)
 * @param range       the time range
 * @param from        the start of a custom range as given, in a form the API's {@code since} takes (a date is
 *                    00:00 UTC of that day), or {@code null}
 * @param to          the end of a custom range as given, in a form the API's {@code until} takes (a date alone is
 *                    the whole of that day, UTC; a time is the exclusive end), or {@code null}
 * @param models      the chosen models in the order given (empty: all); the reference in comparisons is the first
 * @param datasets    the chosen dataset versions (empty: all)
 * @param prompts     the chosen prompt versions (empty: all)
 * @param metric      the focus metric (charts), or {@code null} when there are no metrics yet (or, in the small-chart
 *                    fragment, which charts its own metric: {@link CheckedNames#defaultMetric()})
 * @param pooled      whether the comparison pools over dataset versions and environments ({@code pool}; off when
 *                    absent or not understood)
 * @param understood  the URL given with each value named in {@code problems} left out (a list keeps the names it
 *                    knows, in the spelling given when it lost none) and {@code pool} as {@code pool=1} or absent:
 *                    what links and forms carry on; parameters other than {@link #KEYS} and {@code pool} as given
 * @param problems    what was wrong with the URL, as "field: message"
 * @param leftOut     how many of {@code problems} are a bound ({@code from}, {@code to}) left out while the range is
 *                    shown without it, not replaced by the default range (the page's notice says "defaults are shown"
 *                    only for the others)
 */
record Selection(List<String> environments, TimeRange range, String from, String to, List<String> models,
                 List<String> datasets, List<String> prompts, String metric, boolean pooled, UrlState understood,
                 List<String> problems, int leftOut) {

    /** URL parameters of the filter bar. */
    static final List<String> KEYS = List.of("env", "range", "from", "to", "model", "dataset", "prompt", "metric");
    /** The comparison's on/off parameter: pooled over dataset versions and environments. */
    static final String POOL = "pool";
    /** Those of {@link #KEYS} that take a list (repeated or comma-separated); the others take one value. */
    static final List<String> LIST_KEYS = List.of("env", "model", "dataset", "prompt");

    /**
     * Reads the filter bar from the URL, checking names against {@code names}: a page's {@link Choices}, or the
     * small-chart fragment's {@link CheckedNames}. The rules are here alone, so a fragment falls back as its page
     * did.
     */
    static Selection from(UrlState url, KnownNames names) {
        List<String> problems = new ArrayList<>();
        UrlState understood = url;
        // pool first: a page names it before the filter bar's values, as it always has
        String poolText = url.first(POOL);
        Boolean pool = poolText == null ? Boolean.FALSE : OnOff.parse(poolText);
        if (pool == null) {
            problems.add(POOL + ": '" + TextRules.visible(poolText) + "' is neither on nor off (use pool=1 to pool"
                    + " over dataset versions and environments, pool=0 or no pool not to; " + OnOff.WORDS + ")");
        }
        boolean pooled = Boolean.TRUE.equals(pool);
        if (poolText != null) {
            understood = pooled ? understood.with(POOL, "1") : understood.without(POOL);
        }
        Kept environments = knownList(url, names, Kind.ENVIRONMENT, "env", problems);
        Kept models = knownList(url, names, Kind.MODEL, "model", problems);
        Kept datasets = knownList(url, names, Kind.DATASET, "dataset", problems);
        // "" is the prompt version of results without one, named as the API names it in a list: "," (or "p-1,").
        // A bare "prompt=" stays "all prompts" here (UrlState drops it), as the filter form's "All prompts" sends it.
        Kept prompts = known(QueryParams.prompts(url.all("prompt"), p -> names.isKnown(Kind.PROMPT, p)), names,
                Kind.PROMPT, "prompt", problems);
        understood = environments.carried(understood);
        understood = models.carried(understood);
        understood = datasets.carried(understood);
        understood = prompts.carried(understood);
        String metric = url.first("metric");
        if (metric != null && !names.isKnown(Kind.METRIC, metric)) {
            problems.add(unknown(names, Kind.METRIC, "metric", metric));
            metric = null;
            understood = understood.without("metric");
        }
        if (metric == null) {
            metric = names.defaultMetric();
        }

        TimeRange range = TimeRange.DEFAULT;
        String rangeText = url.first("range");
        if (rangeText != null) {
            TimeRange r = TimeRange.byKey(rangeText);
            if (r == null) {
                problems.add("range: unknown range '" + rangeText + "' (allowed: 24h, 7d, 30d, 90d, all, custom)");
            } else {
                range = r;
            }
        }
        RangeBound start = bound("from", url.first("from"), Timestamps::rangeStart, problems);
        RangeBound end = bound("to", url.first("to"), Timestamps::rangeEnd, problems);
        String from = start == null ? null : start.text();
        String to = end == null ? null : end.text();
        boolean rangeFellBack = false;
        if (range == TimeRange.CUSTOM) {
            String empty = start == null || end == null ? null : RangeBound.emptyRange(start, end);
            if (empty != null) {
                problems.add("to: " + empty);
                to = null;
            }
            if (from == null && to == null) {
                if (problems.stream().noneMatch(p -> p.startsWith("from") || p.startsWith("to"))) {
                    problems.add("from: choose a start or end date for a custom range");
                }
                range = TimeRange.DEFAULT; // custom dates without a date would be all time: the default is shown
                rangeFellBack = true;
            }
        }
        // A bad bound is left out, not replaced by a default, unless the range fell back to the default for it: a custom
        // range shows its other bound, another range has no use for it.
        int leftOut = rangeFellBack ? 0
                : (int) problems.stream().filter(p -> p.startsWith("from: ") || p.startsWith("to: ")).count();
        if (rangeText != null && TimeRange.byKey(rangeText) != range) {
            understood = understood.without("range");
            if (range != TimeRange.CUSTOM) {
                // Carried on without a range, dates read as custom dates (View): ones this page did not use would be.
                understood = understood.without("from", "to");
            }
        }
        if (url.has("from") && from == null) {
            understood = understood.without("from");
        }
        if (url.has("to") && to == null) {
            understood = understood.without("to");
        }
        return new Selection(environments.known(), range, from, to, models.known(), datasets.known(), prompts.known(),
                metric, pooled, understood, List.copyOf(problems), leftOut);
    }

    /** The toolkit filter for these choices (all metrics). */
    Filter filter() {
        Filter f = Filter.all();
        if (!environments.isEmpty()) f = f.withEnvironments(environments);
        if (!models.isEmpty()) f = f.withModels(models);
        if (!datasets.isEmpty()) f = f.withDatasets(datasets);
        if (!prompts.isEmpty()) f = f.withPrompts(prompts);
        if (range.window() != null) {
            f = f.withLast(range.window());
        } else if (range == TimeRange.CUSTOM) {
            if (from != null) f = f.withSince(since());
            if (to != null) f = f.withUntil(until());
        }
        return f;
    }

    /** The start of a custom range ({@code from} as the API reads {@code since}), or {@code null}. */
    Instant since() {
        return from == null ? null : Timestamps.rangeStart(from);
    }

    /**
     * The exclusive end of a custom range ({@code to} as the API reads {@code until}: a date alone takes in that whole
     * day), or {@code null}.
     */
    Instant until() {
        return to == null ? null : Timestamps.rangeEnd(to);
    }

    /** Bucket width for trends: hours for a day, days up to a few months, weeks beyond. */
    Bucket bucket(Instant now) {
        if (range == TimeRange.CUSTOM) {
            Instant end = to == null ? now : until();
            return Bucket.forWindow(from == null ? null : Duration.between(since(), end));
        }
        return Bucket.forWindow(range.window());
    }

    /** Short description of the range, e.g. "Last 30 days" or "2025-01-01 – 2025-01-31" (the values as given). */
    String rangeLabel() {
        if (range != TimeRange.CUSTOM) {
            return range.label();
        }
        return (from == null ? "start" : from) + " – " + (to == null ? "now" : to);
    }


    /**
     * A list parameter's names as given (as the API splits them: repeated or comma-separated, a known name holding a
     * comma kept whole, each once) and those the catalog knows.
     */
    private record Kept(String parameter, List<String> given, List<String> known) {
        /**
         * {@code url} with this list as it is carried on: as spelt ({@code env=a,b}) when no name was left out, else
         * the known names alone (the prompt version "" written as {@link View#NO_PROMPT}).
         */
        UrlState carried(UrlState url) {
            return known.size() == given.size() ? url : url.with(parameter,
                    known.stream().map(p -> p.isEmpty() ? View.NO_PROMPT : p).toArray(String[]::new));
        }
    }

    /** {@link #known} of list parameter {@code parameter} of {@code url}, split as the API splits it. */
    private static Kept knownList(UrlState url, KnownNames names, Kind kind, String parameter, List<String> problems) {
        return known(QueryParams.names(url.all(parameter), v -> names.isKnown(kind, v)), names, kind, parameter, problems);
    }

    /** {@code given}'s names the catalog knows, in order; each other one is named in {@code problems} and left out. */
    private static Kept known(List<String> given, KnownNames names, Kind kind, String parameter, List<String> problems) {
        return new Kept(parameter, given, keepKnown(given, names, kind, parameter, problems));
    }

    /**
     * The names the catalog knows, in order; each other one is named in {@code problems} and left out, under the URL
     * {@code parameter} it came in ({@code env}), as a {@code kind} of name ({@code environment}).
     */
    static List<String> keepKnown(List<String> given, KnownNames names, Kind kind, String parameter,
                                  List<String> problems) {
        List<String> out = new ArrayList<>();
        for (String value : given) {
            if (names.isKnown(kind, value)) {
                out.add(value);
            } else {
                problems.add(unknown(names, kind, parameter, value));
            }
        }
        return List.copyOf(out);
    }

    /**
     * The problem of a name the catalog does not know, given as {@code parameter}: {@code model: unknown model 'x'
     * (known: a, b)}, the known names listed when {@code names} has them at hand; for a metric a definition names
     * but no result holds yet, that it has none ({@link UnknownNameException#definedWithoutResults}, as the API says
     * it). The name is quoted with control characters escaped ({@link TextRules#visible}).
     */
    static String unknown(KnownNames names, Kind kind, String parameter, String value) {
        List<String> listed = names.listed(kind);
        String quoted = parameter + ": unknown " + kind.word() + " '" + TextRules.visible(value) + "'";
        if (kind == Kind.METRIC && names.isDefinedMetric(value)) {
            return quoted + " (" + UnknownNameException.definedWithoutResults(listed) + ")";
        }
        return quoted + (listed.isEmpty() ? "" : " (known: " + String.join(", ", listed) + ")");
    }

    /**
     * {@code text} as a bound named {@code field} when it is a point in time the API's {@code since}/{@code until} take
     * ({@link Timestamps#FORMS}: a date, a date-time with or without a zone, epoch seconds), read by {@code read} (as
     * the API reads a start or an end), else {@code null} with the problem named by {@code field}. Its years are four
     * digits, so the range's end (a date's next day) is always a date too.
     */
    private static RangeBound bound(String field, String text, Function<String, Instant> read, List<String> problems) {
        if (text == null) {
            return null;
        }
        try {
            return new RangeBound(field, text, read.apply(text));
        } catch (IllegalArgumentException e) {
            problems.add(field + ": " + e.getMessage());
            return null;
        }
    }
}
