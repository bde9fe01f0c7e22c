package dev.benchmon.server.api;

import dev.benchmon.Arguments;
import dev.benchmon.BaselineMode;
import dev.benchmon.Bucket;
import dev.benchmon.Filter;
import dev.benchmon.RegressionOptions;
import dev.benchmon.ValidationException;
import dev.benchmon.ingest.RangeBound;
import dev.benchmon.ingest.TextRules;
import dev.benchmon.ingest.Timestamps;
import dev.benchmon.server.api.errors.ErrorDetail;
import dev.benchmon.server.api.errors.InvalidRequestException;
import dev.benchmon.server.http.OnOff;
import io.javalin.http.Context;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a query's parameters into the toolkit's {@link Filter} and {@link RegressionOptions}. Strict:
 * an unknown parameter or a bad value is a 400 naming the parameter and what is allowed, and every
 * problem is reported at once. List parameters may repeat or hold comma-separated values
 * ({@code model=a,b&model=c}). An empty value ({@code sensitivity=}) is a 400 naming the parameter, not read as
 * absent, except where empty is a value ({@link #EMPTY_MEANS_SOMETHING}: {@code prompt}, {@code prompt_version},
 * {@code prefix}).
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
    /**
     * Parameters whose empty value is a value, not a mistake: {@code prompt=} (and {@code prompt=,}) filters for the
     * results without a prompt version (""), {@code POST /api/v1/results?prompt_version=} keeps each result's own (a
     * CI job's empty {@code $PROMPT_VERSION} for a model without prompts; read as absent, as before), and {@code prefix=} (the dashboard's
     * type-ahead with an empty box) is the prefix of every name. An empty value of any other parameter is a 400
     * ({@link #EMPTY}).
     */
    public static final Set<String> EMPTY_MEANS_SOMETHING = Set.of("prompt", "prompt_version", "prefix");
    /** The problem an empty value of a parameter outside {@link #EMPTY_MEANS_SOMETHING} is. */
    static final String EMPTY = "is empty: give a value, or leave the parameter out";
    /** The most rows a history query may ask for. */
    public static final int MAX_LIMIT = 100_000;

    /**
     * The {@code limit} of a history file of every row the filter selects ({@code format=csv} or {@code format=jsonl},
     * streamed from the cursor: what {@code benchmon export history --all} asks for).
     */
    public static final String ALL_ROWS = "all";

    /**
     * Refuses {@code limit=all} unless the answer is a history file ({@code file}: CSV or JSON Lines, which stream to the
     * client's disk): a JSON answer is read whole by its client, so it holds at most {@value #MAX_LIMIT} rows.
     */
    public void allRowsOnlyInAFile(Filter filter, boolean file) {
        if (filter.allRows() && !file) {
            problem("limit", "'all' is for a history file: add format=csv or format=jsonl (a JSON answer holds at most "
                    + MAX_LIMIT + " rows; pass limit=N for those)");
        }
    }
    /** The longest {@code last} window: 100 years (longer would reach past the dates PostgreSQL stores). */
    public static final Duration MAX_WINDOW = Duration.ofDays(36_525);
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*([mhdw])", Pattern.CASE_INSENSITIVE);

    /** The parameters the request may take, with their values; one it may not take is only a problem (unknown). */
    private final Map<String, List<String>> params;
    private final List<ErrorDetail> problems = new ArrayList<>();
    private Function<String, List<String>> knownNames = name -> List.of();
    private Naming naming = Naming.QUERY;

    /**
     * How the user gave the parameters, so that a problem names what they typed: {@code last} of a query, or the
     * option {@code --last} of a command line that passes its options on under the parameters' names.
     *
     * @param kind   what a parameter is called ({@code query parameter}, {@code option})
     * @param prefix what its name is written with
     */
    public record Naming(String kind, String prefix) {
        public static final Naming QUERY = new Naming("query parameter", "");
        public static final Naming OPTIONS = new Naming("option", "--");

        String name(String parameter) {
            return parameter == null ? null : prefix + parameter;
        }
    }

    private QueryParams(Map<String, List<String>> params) {
        this.params = params;
    }

    /** The request's parameters; refuses any not in {@code allowed}. */
    public static QueryParams of(Context ctx, Set<String> allowed) {
        QueryParams q = of(ctx.queryParamMap(), allowed);
        q.checkEncoding(ctx.queryString(), allowed);
        return q;
    }

    /**
     * The servlet decodes malformed percent-encoded UTF-8 (such as {@code %ED%A0%80}, a lone surrogate)
     * to U+FFFD without a word; a name rewritten that way could never match. So the raw query string
     * is decoded once more, strictly, and a parameter whose bytes are not UTF-8 is refused. The value of a
     * parameter the request does not take is not checked: that parameter is already refused as unknown, once.
     */
    private void checkEncoding(String rawQuery, Set<String> allowed) {
        problems.addAll(encodingProblems(rawQuery, allowed::contains));
    }

    /**
     * The parameters of a raw query string whose name or value is not valid percent-encoded UTF-8, each as its problem
     * (see {@link #of(Context, Set)}); also for the dashboard, which names them on its page.
     */
    public static List<ErrorDetail> encodingProblems(String rawQuery) {
        return encodingProblems(rawQuery, name -> true);
    }

    /** As {@link #encodingProblems(String)}, checking the values only of the parameters {@code valueChecked} names. */
    private static List<ErrorDetail> encodingProblems(String rawQuery, Predicate<String> valueChecked) {
        List<ErrorDetail> problems = new ArrayList<>();
        if (rawQuery == null || rawQuery.indexOf('%') < 0) {
            return problems;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            String rawValue = eq < 0 ? "" : pair.substring(eq + 1);
            String name = strictlyDecoded(rawName);
            if (name == null) {
                // Named as sent: a name that does not decode strictly may not decode at all (%zz, a
                // trailing %), and the servlet has dropped it, so no other check names it.
                problems.add(ErrorDetail.of(TextRules.quoted(rawName),
                        "the parameter name is not valid percent-encoded UTF-8"));
            } else if (valueChecked.test(name) && strictlyDecoded(rawValue) == null) {
                problems.add(ErrorDetail.of(name, "is not valid percent-encoded UTF-8 ('" + TextRules.quoted(rawValue)
                        + "'; a lone surrogate or a broken byte sequence); send UTF-8 text"));
            }
        }
        return problems;
    }

    private static String strictlyDecoded(String raw) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c == '%') {
                return null;
            } else if (c == '+') {
                bytes.write(' ');
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * The given parameters; refuses any not in {@code allowed}, as unknown only: its value is never read, so that
     * {@code limit=0} where {@code limit} is not taken is not also told the range of a {@code limit} it may not give.
     */
    public static QueryParams of(Map<String, List<String>> params, Set<String> allowed) {
        Map<String, List<String>> taken = new java.util.HashMap<>(params);
        taken.keySet().retainAll(allowed);
        QueryParams q = new QueryParams(Map.copyOf(taken));
        String allowedList = String.join(", ", new TreeSet<>(allowed));
        for (String name : new TreeSet<>(params.keySet())) {
            if (!allowed.contains(name)) {
                q.problems.add(ErrorDetail.of(TextRules.quoted(name), "unknown query parameter (allowed here: "
                        + allowedList + ")"));
                continue;
            }
            // The one check every value of every parameter passes first: text that could never be
            // stored (control characters, NUL, lone surrogates) is refused here, naming the parameter.
            // Names are then checked in full (length, surrounding whitespace) by Filter (TextRules).
            for (String value : params.get(name)) {
                if (value.isEmpty() && !EMPTY_MEANS_SOMETHING.contains(name)) {
                    // ?sensitivity=$S with S unset: read as absent, the request would run at the defaults without
                    // a word. (Empty twice is said once: check() lists each problem once.)
                    q.problems.add(ErrorDetail.of(name, EMPTY));
                    continue;
                }
                TextRules.textProblems(name, value, Integer.MAX_VALUE, false).stream()
                        .filter(p -> !p.message().startsWith("has whitespace"))
                        .forEach(p -> q.problems.add(ErrorDetail.of(p)));
            }
        }
        return q;
    }

    /**
     * Names the database knows, by parameter ({@code model} -> the known models, ...), so that a value
     * holding a comma ({@code metric=acc,none}) is taken whole when it is a known name and split at
     * commas otherwise.
     */
    public QueryParams withKnownNames(Function<String, List<String>> known) {
        this.knownNames = known;
        return this;
    }

    /** Names the parameters in problems as {@code naming} says (by default as query parameters). */
    public QueryParams namedAs(Naming naming) {
        this.naming = naming;
        return this;
    }

    /**
     * Values of a list parameter in order: each value is one name when it is a known name (names may
     * hold commas: {@code acc,none}), else it is split at commas; empty entries are dropped, and a value of commas
     * alone ({@code model=,}), or of commas and spaces, is a problem ({@link #NAMES_NOTHING}), as an empty one is. Values are
     * never trimmed: {@code model=a, b} names {@code " b"}, which Filter refuses (surrounding whitespace).
     */
    public List<String> list(String name) {
        List<String> values = params.getOrDefault(name, List.of());
        refuseOnlySeparators(name, values);
        // Blank entries are that problem, said once: the toolkit's Filter, which refuses a blank name, never sees them.
        return names(values, containedIn(() -> knownNames.apply(name))).stream().filter(v -> !v.isBlank()).toList();
    }

    /**
     * A list parameter whose values are words of a fixed set, not names ({@code state=open,resolved} of the alerts'
     * list): repeatable or comma-separated, each entry trimmed, blank entries and repeats dropped, order kept. Unlike
     * {@link #list}, no known names are consulted: a comma always separates (no state's name holds one).
     */
    public List<String> words(String name) {
        List<String> values = params.getOrDefault(name, List.of());
        refuseOnlySeparators(name, values); // state=$A,$B with both unset: not every state
        return split(values, v -> false, false).stream()
                .map(String::trim).filter(v -> !v.isEmpty()).distinct().toList();
    }

    /**
     * A problem ({@link #NAMES_NOTHING}) for a value of list parameter {@code name} that is commas or spaces alone:
     * {@code ?model=$A,$B} with both unset dropped its empty entries and left no name, read as no filter at all (every
     * series), where {@code ?model=} is a 400 (EMPTY; an empty value is that problem already). So did {@code ?model=%20}.
     */
    private void refuseOnlySeparators(String name, List<String> values) {
        if (values.stream().anyMatch(v -> !v.isEmpty() && v.chars().allMatch(c -> c == ',' || Character.isWhitespace(c)))) {
            problems.add(ErrorDetail.of(name, NAMES_NOTHING));
        }
    }

    /** The problem a value of a list parameter that is commas or spaces alone ({@code model=,}, {@code model=%20}) is. */
    static final String NAMES_NOTHING = "names nothing (only commas or spaces): give a name, or leave the parameter out";

    /**
     * A list parameter's values as {@link #list} reads them (also the dashboard's {@code model}): a value is one
     * name when {@code isKnown} says it is a known name, else split at commas; empty entries and repeats dropped,
     * order kept. {@code isKnown} is asked only of a value that holds a comma (a predicate, not a list, so that a
     * caller checking a few names need not read them all: the dashboard's small charts).
     */
    public static List<String> names(List<String> values, Predicate<String> isKnown) {
        return split(values, isKnown, false);
    }

    /**
     * The prompt versions {@code prompt} values name, in order, each once. Unlike {@link #names}, empty entries are
     * kept, as "" is a prompt version (no prompt): {@code prompt=} and {@code prompt=,} name it, {@code prompt=p-1,}
     * names p-1 and no prompt. A value is one name when {@code isKnown} says so (asked only of a value with a comma).
     */
    public static List<String> prompts(List<String> values, Predicate<String> isKnown) {
        return split(values, isKnown, true);
    }

    /** Membership in the list {@code known} gives, which is read when first asked (never when no value has a comma). */
    private static Predicate<String> containedIn(Supplier<List<String>> known) {
        return new Predicate<>() {
            private List<String> names;

            @Override
            public boolean test(String value) {
                names = names == null ? known.get() : names;
                return names.contains(value);
            }
        };
    }

    private static List<String> split(List<String> values, Predicate<String> isKnown, boolean keepEmpty) {
        Set<String> out = new LinkedHashSet<>();
        for (String v : values) {
            if (v.indexOf(',') >= 0 && isKnown.test(v)) {
                out.add(v);
                continue;
            }
            Arrays.stream(v.split(",", -1)).filter(s -> keepEmpty || !s.isEmpty()).forEach(out::add);
        }
        return List.copyOf(out);
    }

    /**
     * The one value of a parameter, or {@code null} when it is absent or empty (an empty value is already a problem,
     * but for {@link #EMPTY_MEANS_SOMETHING}); a problem if it is given more than once.
     */
    public String single(String name) {
        List<String> values = params.getOrDefault(name, List.of());
        if (values.size() > 1) {
            problems.add(ErrorDetail.of(name, "give it once, not " + values.size() + " times"));
        }
        return sent(name);
    }

    /** Whether the parameter is in the query at all, empty or not. */
    public boolean given(String name) {
        return params.containsKey(name);
    }

    /** The value of a parameter already read with {@link #single} (null when absent or empty), recording no problem again. */
    public String sent(String name) {
        List<String> values = params.getOrDefault(name, List.of());
        return values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
    }

    /** The filter the parameters describe; a bad name or value is a problem named by its parameter. */
    public Filter filter() {
        Filter f = seriesNames();
        try {
            f = f.withProviders(list("provider")).withMetrics(list("metric"));
        } catch (ValidationException e) {
            e.problems().forEach(p -> problems.add(ErrorDetail.of(p)));
        }
        List<ValidationException.Problem> tagProblems = new ArrayList<>();
        for (Map.Entry<String, String> tag : TagPairs.parse("tag", params.getOrDefault("tag", List.of()), tagProblems).entrySet()) {
            try {
                f = f.withTag(tag.getKey(), tag.getValue());
            } catch (ValidationException e) {
                tagProblems.addAll(e.problems());
            }
        }
        tagProblems.forEach(p -> problems.add(ErrorDetail.of(p)));
        // The same forms as run_at (Timestamps): four-digit years only, so a value past PostgreSQL's range
        // (+294277-01-01) is a 400 here, never a database error.
        Instant since = instant("since", Timestamps::rangeStart);
        Instant until = instant("until", Timestamps::rangeEnd);
        // Named here, in the values as typed: the Filter would name the end a date alone is read as (the next day's
        // midnight), which the user never typed.
        String empty = since == null || until == null ? null
                : RangeBound.emptyRange(new RangeBound(naming.name("since"), sent("since"), since),
                        new RangeBound(naming.name("until"), sent("until"), until));
        if (empty != null) {
            problems.add(ErrorDetail.of("until", empty));
            until = null;
        }
        Duration last = duration("last");
        // limit=all: every row the filter selects, for a history file (the endpoint refuses it for a JSON answer).
        Integer limit = ALL_ROWS.equalsIgnoreCase(single("limit")) ? Integer.valueOf(Filter.ALL_ROWS) : integer("limit", 1, MAX_LIMIT);
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

    /**
     * The filter of the series' names alone: {@code environment}, {@code model}, {@code dataset} and {@code prompt}, as
     * {@link #filter} reads them (the alerts' listing, whose other parameters are its own); a bad name is a problem
     * named by its parameter.
     */
    public Filter seriesNames() {
        Filter f = Filter.all();
        try {
            f = f.withEnvironments(list("environment")).withModels(list("model")).withDatasets(list("dataset"));
        } catch (ValidationException e) {
            e.problems().forEach(p -> problems.add(ErrorDetail.of(p)));
        }
        List<String> prompts = prompts(params.getOrDefault("prompt", List.of()),
                containedIn(() -> knownNames.apply("prompt")));
        if (!prompts.isEmpty()) {
            try {
                f = f.withPrompts(prompts);
            } catch (ValidationException e) {
                e.problems().forEach(p -> problems.add(ErrorDetail.of(p)));
            }
        }
        return f;
    }

    /** The regression options the parameters describe (defaults: 5%, mean of the previous 5 runs). */
    public RegressionOptions regressionOptions() {
        RegressionOptions o = RegressionOptions.defaults();
        // The toolkit's rules, each stated where it is checked: threshold as detectRegressions(model, threshold)
        // takes it (a fraction from 0 to 1), absolute_threshold as RegressionOptions does (>= 0 in the metric's unit).
        Double threshold = number("threshold", Arguments.FRACTION, t -> Arguments.fraction(t, "threshold"));
        Double absolute = number("absolute_threshold", RegressionOptions.ABSOLUTE_THRESHOLD,
                a -> RegressionOptions.defaults().withAbsoluteThreshold(a));
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
                long id = -1;
                try {
                    id = Long.parseLong(pinned);
                } catch (NumberFormatException e) {
                    // reported below
                }
                if (id < 1) {
                    problems.add(ErrorDetail.of("baseline_transaction", "must be the id of a recorded result (a whole "
                            + "number >= 1, as in a history row's id), got '" + TextRules.quoted(pinned) + "'"));
                } else {
                    o = o.pinnedTo(id);
                }
            }
            // median is the detection engine's own baseline, as the regressions answer's options name it: a client that
            // sends back what it was told changes nothing.
            if (baseline != null && !baseline.strip().equalsIgnoreCase(QueryEndpoints.ENGINE_BASELINE)) {
                // RegressionOptions itself refuses a pinned baseline without a transaction (caught below).
                o = o.withBaseline(BaselineMode.parse(baseline));
            }
        } catch (ValidationException e) {
            e.problems().forEach(p -> problems.add(ErrorDetail.of(p)));
        }
        return o;
    }

    /**
     * {@code ?sensitivity=} (noise sd a change must exceed: {@code low}, {@code medium}, {@code high} or a number > 0)
     * and {@code ?min_effect=} ({@code 2%}, relative to each baseline, or a number > 0 in the metric's unit), each
     * parsed once, as the detection engine's overrides for this request. A bad or repeated value is recorded as a
     * problem naming its parameter (thrown by {@link #check()} with the others), and that setting is left at the
     * metric's own (NaN).
     */
    public dev.benchmon.detect.DetectionOverrides detectionOverrides() {
        dev.benchmon.detect.DetectionOverrides o = dev.benchmon.detect.DetectionOverrides.NONE;
        String s = single("sensitivity");
        String m = single("min_effect");
        try {
            if (s != null) o = o.withSensitivity(dev.benchmon.detect.DetectionSettings.parseSensitivity(s));
        } catch (ValidationException e) {
            e.problems().forEach(p -> problems.add(ErrorDetail.of(p)));
        }
        try {
            if (m != null) o = o.withMinEffect(m);
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

    /** Whether the endpoint asked {@link #jsonLines}: its format refusal then names jsonl too. */
    private boolean jsonLinesOffered;

    /**
     * {@code true} for {@code format=jsonl}: results in the native JSON format, one a line, names exactly as stored
     * (what {@code benchmon import} reads back), where the endpoint offers it (history, snapshots); {@link #csv} then
     * lists it among the formats allowed. Call before {@link #csv}.
     */
    public boolean jsonLines() {
        String format = single("format");
        jsonLinesOffered = true;
        return format != null && format.equalsIgnoreCase("jsonl");
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
                problems.add(ErrorDetail.of("format", "unknown format '" + TextRules.quoted(format) + "' (allowed: json, csv" + (jsonLinesOffered ? ", jsonl" : "") + ")"));
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
            // distinct: a parameter read twice (part, baseline) would otherwise say "give it once" twice.
            List<ErrorDetail> named = problems.stream().distinct()
                    .map(p -> new ErrorDetail(p.index(), naming.name(p.field()), p.message())).toList();
            if (named.size() == 1) {
                throw InvalidRequestException.single("invalid " + naming.kind() + " '" + named.get(0).field() + "': "
                        + named.get(0).message(), named.get(0));
            }
            throw new InvalidRequestException(named.size() + " problems with the " + naming.kind() + "s", named);
        }
    }

    /** A date-time whose offset's '+' a URL's query turned into a space ({@code 2026-12-04T10:00:00 01:00}). */
    private static final java.util.regex.Pattern SPACED_OFFSET =
            java.util.regex.Pattern.compile("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+ \\d{2}(:?\\d{2})?");

    /**
     * The instant {@code read} makes of parameter {@code name}; a problem named by it when it is not one. A negative
     * number, which {@link Timestamps#rangeStart} and {@link Timestamps#rangeEnd} refuse, was most likely meant as a
     * time ago: for {@code since} the problem names {@code last}, which is one.
     */
    private Instant instant(String name, java.util.function.Function<String, Instant> read) {
        String v = single(name);
        if (v == null) {
            return null;
        }
        try {
            return read.apply(v);
        } catch (IllegalArgumentException e) {
            boolean timeAgo = name.equals("since") && v.startsWith("-");
            // A URL query reads '+' as a space: 10:00:00+01:00 arrives as "10:00:00 01:00", which names no date-time.
            boolean plusAsSpace = naming.prefix().isEmpty() && SPACED_OFFSET.matcher(v).matches();
            problems.add(ErrorDetail.of(name, e.getMessage() + (timeAgo ? ", or for the latest days' results "
                    + naming.name("last") + (naming.prefix().isEmpty() ? "=" : " ") + "7d" : "")
                    + (plusAsSpace ? "; a '+' in a URL's query means a space: write the offset's '+' as %2B ("
                    + v.replace(' ', '+').replace("+", "%2B") + ") or give the time in UTC with Z" : "")));
            return null;
        }
    }

    /** {@code 30m}, {@code 12h}, {@code 7d}, {@code 2w} or ISO-8601 ({@code P7D}, {@code PT12H}). */
    static Duration parseDuration(String v) {
        Matcher m = SHORT_DURATION.matcher(v.trim());
        if (m.matches()) {
            // Any number of digits is a duration, so that 99999999d is refused as longer than MAX_WINDOW, not as no
            // duration; ten digits or more are beyond it in any unit (1e9 minutes is 1,900 years), and read as 1e9.
            long n = m.group(1).length() > 9 ? 1_000_000_000L : Long.parseLong(m.group(1));
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
            Duration d = parseDuration(v);
            if (d.isZero() || d.isNegative()) {
                problems.add(ErrorDetail.of(name, "must be a positive window like 7d or 24h, got '" + TextRules.quoted(v) + "'"));
                return null;
            }
            if (d.compareTo(MAX_WINDOW) > 0) {
                problems.add(ErrorDetail.of(name, "'" + TextRules.quoted(v) + "' is longer than " + MAX_WINDOW.toDays()
                        + " days; use " + naming.name("since") + "/" + naming.name("until") + " for older results"));
                return null;
            }
            return d;
        } catch (DateTimeParseException | ArithmeticException e) {
            problems.add(ErrorDetail.of(name, "'" + TextRules.quoted(v) + "' is not a duration; use e.g. 30m, 12h, 7d, 2w or P7D"));
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
        problems.add(ErrorDetail.of(name, "must be a whole number from " + min + " to " + max + ", got '" + TextRules.quoted(v) + "'"));
        return null;
    }

    /**
     * A number parameter, or {@code null} (absent, or a problem recorded): {@code check} (the toolkit's check of it)
     * refuses a number outside its range in its own words; text that is no number is refused with {@code rule}, the
     * words that check states its rule in.
     */
    private Double number(String name, String rule, java.util.function.DoubleConsumer check) {
        String v = single(name);
        if (v == null) {
            return null;
        }
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            problems.add(ErrorDetail.of(name, rule + ", got '" + TextRules.quoted(v) + "'"));
            return null;
        }
        try {
            check.accept(d);
            return d;
        } catch (ValidationException e) {
            e.problems().forEach(p -> problems.add(ErrorDetail.of(p)));
            return null;
        }
    }

    /** A true/false parameter ({@link OnOff}: {@value OnOff#WORDS}), or {@code null}. */
    public Boolean bool(String name) {
        String v = single(name);
        if (v == null) {
            return null;
        }
        Boolean b = OnOff.parse(v);
        if (b == null) {
            problems.add(ErrorDetail.of(name, "must be true or false (" + OnOff.WORDS + "), got '" + TextRules.quoted(v) + "'"));
        }
        return b;
    }
}
