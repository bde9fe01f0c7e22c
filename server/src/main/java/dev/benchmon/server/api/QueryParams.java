package dev.benchmon.server.api;

import dev.benchmon.BaselineMode;
import dev.benchmon.Bucket;
import dev.benchmon.Filter;
import dev.benchmon.RegressionOptions;
import dev.benchmon.ValidationException;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.api.errors.ErrorDetail;
import dev.benchmon.server.api.errors.InvalidRequestException;
import io.javalin.http.Context;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a query's parameters into the toolkit's {@link Filter} and {@link RegressionOptions}. Strict:
 * an unknown parameter or a bad value is a 400 naming the parameter and what is allowed, and every
 * problem is reported at once. List parameters may repeat or hold comma-separated values
 * ({@code model=a,b&model=c}).
 */
public final class QueryParams {
    /** Parameters every filtered query takes. */
    public static final Set<String> FILTER = Set.of("environment", "model", "dataset", "prompt", "provider", "tag",
            "since", "until", "last", "metric", "format");
    /** Parameters of the history query: {@link #FILTER} and {@code limit}. */
    public static final Set<String> HISTORY = Stream.concat(FILTER.stream(), Stream.of("limit"))
            .collect(Collectors.toUnmodifiableSet());
    /** Parameters of the regression queries, on top of {@link #FILTER}. */
    public static final Set<String> REGRESSION = Set.of("threshold", "absolute_threshold", "baseline", "window",
            "baseline_transaction", "only_regressions");
    /** The most rows a history query may ask for. */
    public static final int MAX_LIMIT = 100_000;
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,6})\\s*([mhdw])", Pattern.CASE_INSENSITIVE);

    private final Map<String, List<String>> params;
    private final List<ErrorDetail> problems = new ArrayList<>();

    private QueryParams(Map<String, List<String>> params) {
        this.params = params;
    }

    /** The request's parameters; refuses any not in {@code allowed}. */
    public static QueryParams of(Context ctx, Set<String> allowed) {
        return of(ctx.queryParamMap(), allowed);
    }

    /** The given parameters; refuses any not in {@code allowed}. */
    public static QueryParams of(Map<String, List<String>> params, Set<String> allowed) {
        QueryParams q = new QueryParams(params);
        String allowedList = String.join(", ", new TreeSet<>(allowed));
        for (String name : new TreeSet<>(params.keySet())) {
            if (!allowed.contains(name)) {
                q.problems.add(ErrorDetail.of(name, "unknown query parameter (allowed here: " + allowedList + ")"));
            }
        }
        return q;
    }

    /** Values of a list parameter, split at commas, blanks dropped, in order. */
    public List<String> list(String name) {
        Set<String> out = new LinkedHashSet<>();
        for (String v : params.getOrDefault(name, List.of())) {
            Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
        }
        return List.copyOf(out);
    }

    /** The one value of a parameter, or {@code null}; a problem if it is given more than once. */
    public String single(String name) {
        List<String> values = params.getOrDefault(name, List.of());
        if (values.size() > 1) {
            problems.add(ErrorDetail.of(name, "give it once, not " + values.size() + " times"));
        }
        return values.isEmpty() || values.get(0).isBlank() ? null : values.get(0).trim();
    }

    /** The filter the parameters describe. */
    public Filter filter() {
        Filter f = Filter.all()
                .withEnvironments(list("environment").toArray(String[]::new))
                .withModels(list("model").toArray(String[]::new))
                .withDatasets(list("dataset").toArray(String[]::new))
                .withProviders(list("provider").toArray(String[]::new))
                .withMetrics(list("metric").toArray(String[]::new));
        // Prompt versions may legitimately be "" (no prompt): keep values exactly, only split at commas.
        List<String> prompts = new ArrayList<>();
        params.getOrDefault("prompt", List.of()).forEach(v -> prompts.addAll(Arrays.asList(v.split(",", -1))));
        if (!prompts.isEmpty()) {
            f = f.withPrompts(prompts.stream().map(String::trim).distinct().toArray(String[]::new));
        }
        for (String tag : params.getOrDefault("tag", List.of())) {
            int eq = tag.indexOf('=');
            if (eq <= 0) {
                problems.add(ErrorDetail.of("tag", "must be key=value, got '" + abbreviate(tag) + "'"));
            } else {
                f = f.withTag(tag.substring(0, eq).trim(), tag.substring(eq + 1).trim());
            }
        }
        Instant since = instant("since");
        Instant until = instant("until");
        Duration last = duration("last");
        Integer limit = integer("limit", 1, MAX_LIMIT);
        try {
            if (since != null) f = f.withSince(since);
            if (until != null) f = f.withUntil(until);
            if (last != null) f = f.withLast(last);
            if (limit != null) f = f.withLimit(limit);
        } catch (ValidationException e) {
            e.problems().forEach(p -> problems.add(ErrorDetail.of(p)));
        }
        return f;
    }

    /** The regression options the parameters describe (defaults: 5%, mean of the previous 5 runs). */
    public RegressionOptions regressionOptions() {
        RegressionOptions o = RegressionOptions.defaults();
        Double threshold = number("threshold");
        Double absolute = number("absolute_threshold");
        Integer window = integer("window", 1, 1000);
        String baseline = single("baseline");
        String pinned = single("baseline_transaction");
        Boolean only = bool("only_regressions");
        try {
            if (threshold != null) o = o.withThreshold(threshold);
            if (absolute != null) o = o.withAbsoluteThreshold(absolute);
            if (window != null) o = o.withWindow(window);
            if (only != null) o = o.withOnlyRegressions(only);
            if (pinned != null) {
                try {
                    o = o.pinnedTo(Long.parseLong(pinned));
                } catch (NumberFormatException e) {
                    problems.add(ErrorDetail.of("baseline_transaction", "must be a transaction id (a whole number), got '"
                            + abbreviate(pinned) + "'"));
                }
            }
            if (baseline != null) {
                // RegressionOptions itself refuses a pinned baseline without a transaction (caught below).
                o = o.withBaseline(BaselineMode.parse(baseline));
            }
        } catch (ValidationException e) {
            e.problems().forEach(p -> problems.add(ErrorDetail.of(p)));
        }
        return o;
    }

    /** The trend bucket ({@code hour}, {@code day}, {@code week}); by default one that suits the window. */
    public Bucket bucket(Duration window) {
        String b = single("bucket");
        if (b == null) {
            return Bucket.forWindow(window);
        }
        try {
            return Bucket.parse(b);
        } catch (ValidationException e) {
            e.problems().forEach(p -> problems.add(ErrorDetail.of(p)));
            return Bucket.DAY;
        }
    }

    /** {@code true} for CSV: {@code format=csv}, or no format and an Accept header that asks for text/csv. */
    public boolean csv(Context ctx) {
        String format = single("format");
        if (format == null) {
            String accept = ctx.header("Accept");
            return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/csv");
        }
        switch (format.toLowerCase(Locale.ROOT)) {
            case "csv":
                return true;
            case "json":
                return false;
            default:
                problems.add(ErrorDetail.of("format", "unknown format '" + abbreviate(format) + "' (allowed: json, csv)"));
                return false;
        }
    }

    /** Records a problem found by the caller (e.g. a required parameter missing). */
    public void problem(String name, String message) {
        problems.add(ErrorDetail.of(name, message));
    }

    /** Throws a 400 listing every problem found so far; call after reading all parameters. */
    public void check() {
        if (!problems.isEmpty()) {
            String summary = problems.size() == 1
                    ? "invalid query parameter '" + problems.get(0).field() + "': " + problems.get(0).message()
                    : problems.size() + " problems with the query parameters";
            throw new InvalidRequestException(summary, problems);
        }
    }

    private Instant instant(String name) {
        String v = single(name);
        if (v == null) {
            return null;
        }
        try {
            return ResultJson.parseInstant(v);
        } catch (DateTimeParseException e) {
            problems.add(ErrorDetail.of(name, "'" + abbreviate(v) + "' is not a date-time; use ISO-8601, e.g. "
                    + "2026-01-31 or 2026-01-31T12:00:00Z"));
            return null;
        }
    }

    /** {@code 30m}, {@code 12h}, {@code 7d}, {@code 2w} or ISO-8601 ({@code P7D}, {@code PT12H}). */
    static Duration parseDuration(String v) {
        Matcher m = SHORT_DURATION.matcher(v.trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (Character.toLowerCase(m.group(2).charAt(0))) {
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
        }
        return Duration.parse(v.trim().toUpperCase(Locale.ROOT));
    }

    private Duration duration(String name) {
        String v = single(name);
        if (v == null) {
            return null;
        }
        try {
            return parseDuration(v);
        } catch (DateTimeParseException e) {
            problems.add(ErrorDetail.of(name, "'" + abbreviate(v) + "' is not a duration; use e.g. 30m, 12h, 7d, 2w or P7D"));
            return null;
        }
    }

    private Integer integer(String name, int min, int max) {
        String v = single(name);
        if (v == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(ErrorDetail.of(name, "must be a whole number from " + min + " to " + max + ", got '" + abbreviate(v) + "'"));
        return null;
    }

    private Double number(String name) {
        String v = single(name);
        if (v == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(v);
            if (Double.isFinite(d) && d >= 0) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(ErrorDetail.of(name, "must be a number >= 0 (0.05 means 5%), got '" + abbreviate(v) + "'"));
        return null;
    }

    private Boolean bool(String name) {
        String v = single(name);
        if (v == null) {
            return null;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> {
                problems.add(ErrorDetail.of(name, "must be true or false, got '" + abbreviate(v) + "'"));
                yield null;
            }
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
