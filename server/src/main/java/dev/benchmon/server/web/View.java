package dev.benchmon.server.web;

import dev.benchmon.Benchmon;
import dev.benchmon.ingest.TextRules;
import dev.benchmon.server.api.QueryParams;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * One page request: the URL state, the catalog's names, the resolved filter bar and regression
 * settings, and the model the shared layout (tabs, filter bar, refresh, stamp) renders from.
 */
final class View {
    /** The tabs. */
    enum Tab {
        SNAPSHOT("Current Snapshot", "/"),
        TRENDS("Performance Trends", "/trends"),
        COMPARE("Model Comparison", "/compare"),
        REGRESSIONS("Regression Detection", "/regressions"),
        ALERTS("Alerts", "/alerts");

        final String label;
        final String path;

        Tab(String label, String path) {
            this.label = label;
            this.path = path;
        }
    }

    /** A tab link. */
    record TabLink(String label, String href, boolean active) {
    }

    /** An option of a select or checkbox list. */
    record Option(String value, String label, boolean selected) {
    }

    /** A hidden form field that carries a parameter through the filter form. */
    record Hidden(String name, String value) {
    }

    /** Parameters that only pick something on one page; tab links drop them. */
    private static final List<String> PAGE_LOCAL = List.of("sel", "sort", "order", "focus", "page");

    /**
     * Every parameter the tabs read. Tab links carry one tab's own parameters (the comparison's {@code ref})
     * through the others, so each tab accepts all of them; any other is named on the page.
     */
    static final Set<String> PARAMETERS = new TreeSet<>(Stream.of(Selection.KEYS, RegressionSettings.KEYS,
            ComparePage.KEYS, PAGE_LOCAL, List.of(AutoRefresh.KEY)).flatMap(List::stream).toList());

    /**
     * The parameters that take one value: every one but the filter bar's lists ({@code env}, {@code model},
     * {@code dataset}, {@code prompt}), which may repeat. One given more than once is named and left at its default.
     */
    static final Set<String> SINGLE_VALUED = PARAMETERS.stream()
            .filter(name -> !Selection.LIST_KEYS.contains(name)).collect(java.util.stream.Collectors.toUnmodifiableSet());

    final Tab tab;
    /**
     * The URL state as understood: values not understood are named in {@link #problems} and left out, here by the
     * filter bar and the detection settings, later by a page's own checks ({@link #notUnderstood}), which a page makes
     * before it makes its links from here.
     */
    private UrlState url;
    final Choices choices;
    final Selection selection;
    final RegressionSettings settings;
    final Instant now;
    final Benchmon benchmon;
    final Map<String, Object> model = new HashMap<>();
    /** How table cells link (set by the page's route from the server's settings; none until then). */
    LinkCells links = new LinkCells(null, Map::of, this::carried);
    /** Values not understood, as "field: message": the page answers 400. */
    final List<String> problems = new ArrayList<>();
    /** How many of {@link #problems} are a range bound left out, not replaced by a default ({@link Selection#leftOut}). */
    private int leftOut;
    /** Values understood but adjusted (a page past the last shows the last), named in a notice: the page answers 200. */
    final List<String> pageNotes = new ArrayList<>();
    /** Parameters no tab reads (tracking ones excepted), made visible: named in a notice, the page answers 200. */
    final List<String> ignored = new ArrayList<>();
    private final String knownParameters;
    /**
     * This page's path with the parameters it knows, in the request's order: unknown and tracking ones dropped, as
     * links drop them (a form's {@code next}, to come back here after logging in).
     */
    final String here;
    /**
     * The page's own parameters (the Alerts view's {@code state}) as read, blank values dropped: each takes one value,
     * and one given more than once is named in {@link #problems} and left out (the page uses its default), as a tab's
     * single value is ({@link #SINGLE_VALUED}).
     */
    final UrlState ownValues;

    View(Context ctx, Benchmon benchmon, Tab tab, WebAuth auth) {
        this(ctx, benchmon, tab, auth, List.of(), true);
    }

    /**
     * @param own         parameters only this page reads, from the request itself (the Alerts view's {@code state}),
     *                    each taking one value ({@link #ownValues}): known here, but not carried on by the tab links
     *                    and forms
     * @param checksShared whether the values the tab links carry (the filter bar's, the detection settings, each tab's
     *                    own) are checked as a tab checks them: named when not understood and left out of the links.
     *                    The pages of a series and of a run ({@link Tab#ALERTS} without a tab of their own) leave them
     *                    as they came and name only an unknown parameter.
     */
    View(Context ctx, Benchmon benchmon, Tab tab, WebAuth auth, List<String> own, boolean checksShared) {
        this.tab = tab;
        this.benchmon = benchmon;
        this.now = Instant.now();
        // A shared link often carries parameters the dashboard does not read (utm_source=..., fbclid=...). The page
        // renders as without them (they are dropped, so links and forms do not carry them on); a misspelt one
        // (modle=x) is named in a notice, as it would otherwise change nothing without a word; tracking ones are not.
        Set<String> known = new TreeSet<>(PARAMETERS);
        known.addAll(own);
        // The series and run pages read only their own parameters; the others are left as they came (see below).
        Map<String, List<String>> params = readable(ctx, checksShared ? known : Set.copyOf(own), problems);
        Map<String, List<String>> query = new LinkedHashMap<>(params);
        Map<String, List<String>> read = new LinkedHashMap<>(query);
        read.keySet().retainAll(known);
        query.keySet().removeIf(name -> {
            if (known.contains(name)) {
                return own.contains(name);
            }
            if (!isTracking(name)) {
                ignored.add(TextRules.visible(name));
            }
            return true;
        });
        // The alert pages have no filter bar: the notice names only what the page itself reads (none: no list).
        // (a triage's confirmation, AlertPages.DONE, is the server's own parameter, not one to name to a person)
        this.knownParameters = String.join(", ", (tab == Tab.ALERTS ? new TreeSet<>(own) : known).stream()
                .filter(name -> !name.equals(AlertPages.DONE)).toList());
        this.choices = Choices.of(benchmon);
        // A value not understood is named and then dropped, so that links and forms do not carry it on.
        if (checksShared && !query.containsKey("range") && (query.containsKey("from") || query.containsKey("to"))) {
            // Dates without a range are custom dates (a URL written by hand: /trends?from=2026-11-01&to=2026-11-10). The
            // default month was drawn instead, and the dates were carried on unseen. A range named beside them wins.
            query.put("range", List.of(TimeRange.CUSTOM.key()));
        }
        UrlState given = AutoRefresh.read(UrlState.of(query), query.get(AutoRefresh.KEY), problems);
        if (checksShared) {
            given = given.onceEach(SINGLE_VALUED, problems);
            if (query.containsKey("range") && !given.has("range")) {
                given = given.without("from", "to"); // a range given twice: the default is shown, not custom dates
            }
        }
        Map<String, List<String>> ownQuery = new LinkedHashMap<>(params);
        ownQuery.keySet().retainAll(own);
        this.ownValues = UrlState.of(ownQuery).onceEach(Set.copyOf(own), problems);
        if (tab == Tab.TRENDS && given.has("focus")
                && Selection.keepKnown(List.of(given.first("focus")), choices, KnownNames.Kind.MODEL, "focus",
                        problems).isEmpty()) {
            given = given.without("focus"); // the page falls back to the model it shows without one
        }
        this.selection = Selection.from(given, choices);
        this.settings = RegressionSettings.from(given);
        if (checksShared) {
            leftOut = selection.leftOut();
            problems.addAll(selection.problems());
            problems.addAll(settings.problems());
            given = understood(selection.understood(), settings);
        }
        this.url = given;
        // Where a login returns to: the parameters as read (the page's own too), each as cleaned above, so that the
        // page after login does not name the same problems again.
        UrlState cleaned = given;
        read.keySet().removeIf(name -> !(own.contains(name) ? ownValues : cleaned).has(name));
        read.replaceAll((name, values) -> (own.contains(name) ? ownValues : cleaned).all(name));
        this.here = UrlState.of(read).href(ctx.path());

        model.put("pageTitle", tab.label);
        model.put("tab", tab.name().toLowerCase(java.util.Locale.ROOT));
        model.put("filterAction", tab.path);
        model.put("envOptions", options(choices.environments(), selection.environments()));
        model.put("datasetOptions", options(choices.datasets(), selection.datasets()));
        model.put("promptOptions", promptOptions(choices.prompts(), selection.prompts()));
        // A select shows one choice: one that holds several (env=a,b from a link) lets the form keep them all.
        model.put("envMultiple", selection.environments().size() > 1);
        model.put("datasetMultiple", selection.datasets().size() > 1);
        model.put("promptMultiple", selection.prompts().size() > 1);
        model.put("modelOptions", options(OfferedNames.of(choices.models(), selection.models()), selection.models()));
        model.put("modelTypeahead", OfferedNames.needsTypeahead(choices.models()));
        model.put("metricOptions", metricOptions(tab, url.has("metric"), choices, selection.metric()));
        model.put("metricTypeahead", OfferedNames.needsTypeahead(choices.metrics()));
        List<Option> ranges = new ArrayList<>();
        for (TimeRange r : TimeRange.values()) {
            ranges.add(new Option(r.key(), r.label(), r == selection.range()));
        }
        model.put("rangeOptions", ranges);
        model.put("custom", selection.range() == TimeRange.CUSTOM);
        model.put("from", selection.from() == null ? "" : selection.from());
        model.put("to", selection.to() == null ? "" : selection.to());
        // A date box holds a date alone: a time (from a link, as the API takes it) goes in a text box, which keeps it.
        model.put("fromType", dateBox(selection.from()));
        model.put("toType", dateBox(selection.to()));
        model.put("modelSummary", modelSummary(selection.models()));
        model.put("rangeLabel", selection.rangeLabel());
        model.put("refresh", url.has(AutoRefresh.KEY));
        model.put("updated", Formats.seconds(now) + " UTC");
        model.put("loginEnabled", auth.offersLogout(ctx));
        model.put("empty", choices.empty());
        model.put("metric", nullToEmpty(selection.metric()));
        // The empty database's advice, as the README gives it: ./benchmon from a checkout (there is no benchmon.jar in
        // its root: "java -jar benchmon.jar" failed there), and a token only when this server requires one for a push.
        model.put("pushCommand", "./benchmon push results.json --server " + ctx.scheme() + "://" + ctx.host()
                + (auth.pushNeedsToken() ? " --token \"$BENCHMON_WRITE_TOKEN\"" : ""));
        model.put("demoCommand", "./benchmon serve --demo");
        model.put("readOnly", auth.readOnly()); // takes no pushes: the empty page says how results reach its database
        model.put("problems", problems);
        model.put("pageNotes", pageNotes); // not "notes": the run page's own model names a run's notes so
        model.put("ignored", ignored);
        model.put("knownParameters", knownParameters);
        model.put("charts", false);
    }

    /**
     * The request's parameters without the values of {@code checked} ones that text may not hold, each named in
     * {@code problems} as the API names it: a value not valid percent-encoded UTF-8 ({@code %C0%AF}, which the servlet
     * reads as U+FFFD), or one holding a control character or a lone surrogate ({@code %01}, {@code %00}; surrounding
     * whitespace is trimmed, as ever).
     */
    static Map<String, List<String>> readable(Context ctx, Set<String> checked, List<String> problems) {
        Map<String, List<String>> out = new LinkedHashMap<>(ctx.queryParamMap());
        for (var p : QueryParams.encodingProblems(ctx.queryString())) {
            if (checked.contains(p.field()) && out.remove(p.field()) != null) {
                problems.add(p.field() + ": " + p.message());
            }
        }
        out.replaceAll((name, values) -> !checked.contains(name) ? values : values.stream().filter(v -> {
            String bad = v == null ? null : TextRules.firstBadCharacter(v.strip(), false);
            if (bad != null) {
                problems.add(name + ": " + bad);
            }
            return bad == null;
        }).toList());
        return out;
    }

    /**
     * {@code given} (as the filter bar understood it: {@link Selection#understood}) without the detection settings it
     * did not understand (named in {@link #problems}), so that links and forms do not carry them on.
     */
    private static UrlState understood(UrlState given, RegressionSettings settings) {
        UrlState out = given;
        if (given.has("sensitivity") && Double.isNaN(settings.sensitivity())) {
            out = out.without("sensitivity");
        }
        if (given.has("min_effect") && settings.minEffect() == null) {
            out = out.without("min_effect");
        }
        return out;
    }

    /** The URL state as understood so far ({@link #url}): what the page's links and forms carry. */
    UrlState url() {
        return url;
    }

    /**
     * What the links to the dashboard's pages carry on (the tabs, and a table's links to a series, a run, an alert): the
     * URL state as understood without the parameters that pick something on this page only ({@link #PAGE_LOCAL}).
     */
    UrlState carried() {
        return url.without(PAGE_LOCAL.toArray(String[]::new));
    }

    /**
     * Names a value of {@code key} a page did not understand (the page answers 400) and drops it from the links and
     * forms made from now on: a page checks its own values before it makes its links.
     */
    void notUnderstood(String key, String problem) {
        problems.add(problem);
        url = url.without(key);
    }

    /** The input type of a custom range's bound: {@code date} for a date alone or none, else {@code text}. */
    private static String dateBox(String value) {
        return value == null || value.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}") ? "date" : "text";
    }

    /**
     * The model to render: {@link #model} with the layout's tab links and the filter form's hidden fields, made once,
     * from the URL as the page's checks left it ({@link #notUnderstood}).
     */
    Map<String, Object> pageModel() {
        List<TabLink> tabs = new ArrayList<>();
        UrlState shared = carried();
        for (Tab t : Tab.values()) {
            tabs.add(new TabLink(t.label, shared.href(t.path), t == tab));
        }
        model.put("tabs", tabs);
        // "defaults are shown instead" only when some problem's setting was replaced by its default, not when every
        // problem is a range bound left out (the range is shown without it, as the filter bar says).
        model.put("defaultsShown", problems.size() > leftOut);
        Set<String> barKeys = new HashSet<>(Selection.KEYS);
        barKeys.add("sel"); // a selection belongs to the filters it was made under
        barKeys.add("page"); // new filters start on the first page of their answer
        model.put("hidden", url.pairsExcept(barKeys).stream().map(e -> new Hidden(e.getKey(), e.getValue())).toList());
        return model;
    }

    /**
     * Parameters that analytics and mail tools append to shared links ({@code utm_*}, {@code fbclid}, {@code gclid},
     * {@code mc_cid}, {@code mc_eid}); ignored without a notice. Not {@code ref}: some tools append it too, but it is
     * the comparison's reference model, a parameter every view knows ({@link #PARAMETERS}), so it is read, not
     * ignored.
     */
    static boolean isTracking(String name) {
        return name.startsWith("utm_") || TRACKING.contains(name);
    }

    private static final Set<String> TRACKING = Set.of("fbclid", "gclid", "mc_cid", "mc_eid");

    /**
     * Refuses a download (CSV), which has no page to show a notice on, when the URL has problems: answers 400 in
     * text/plain with every ignored parameter, then every value not understood, one per line as "field: message".
     *
     * @return {@code true} when refused (the answer is written; the caller writes nothing more)
     */
    boolean refuseDownload(Context ctx) {
        List<String> out = new ArrayList<>();
        ignored.forEach(name -> out.add(name + ": unknown parameter (the dashboard reads " + knownParameters + ")"));
        out.addAll(problems);
        if (out.isEmpty()) {
            return false;
        }
        ctx.status(HttpStatus.BAD_REQUEST).contentType("text/plain; charset=utf-8").result(String.join("\n", out) + "\n");
        return true;
    }

    /** The toolkit's direction per metric ("higher_is_better" / "lower_is_better"). */
    Map<String, String> directions() {
        return directions(benchmon.metricDefinitions());
    }

    /** The directions of a {@code metricDefinitions} table, by metric. */
    static Map<String, String> directions(tech.tablesaw.api.Table defs) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < defs.rowCount(); i++) {
            out.put(defs.stringColumn("name").get(i), defs.stringColumn("direction").get(i));
        }
        return out;
    }

    /** A link to this tab with one parameter changed and the others kept. */
    String hrefWith(String key, String... values) {
        return url.with(key, values).href(tab.path);
    }

    /**
     * The Metric selector's options. Regression Detection shows every metric until one is chosen, so it offers
     * "All metrics" (value "") first, selected when the URL names none: the selector shows what the table holds, and
     * Apply unchanged keeps it so. The other tabs chart one metric, the default one when none is named.
     */
    private static List<Option> metricOptions(Tab tab, boolean named, Choices choices, String metric) {
        List<Option> out = new ArrayList<>();
        boolean all = tab == Tab.REGRESSIONS;
        if (all) {
            out.add(new Option("", "All metrics", !named));
        }
        List<String> selected = metric == null || (all && !named) ? List.of() : List.of(metric);
        out.addAll(options(OfferedNames.of(choices.metrics(), selected), selected));
        return out;
    }

    static List<Option> options(List<String> values, List<String> selected) {
        return values.stream().map(v -> new Option(v, v, selected.contains(v))).toList();
    }

    /**
     * The prompt versions to offer; "" (results without a prompt) as "(none)" with the value "," (the API's list
     * spelling of it), since the form's empty value is "All prompts".
     */
    static List<Option> promptOptions(List<String> prompts, List<String> selected) {
        return prompts.stream().map(p -> p.isEmpty() ? new Option(NO_PROMPT, "(none)", selected.contains(""))
                : new Option(p, p, selected.contains(p))).toList();
    }

    /** How a link or the filter form names the prompt version "" (no prompt): as an empty entry of a list. */
    static final String NO_PROMPT = ",";

    private static String modelSummary(List<String> models) {
        if (models.isEmpty()) {
            return "All models";
        }
        return models.size() == 1 ? models.get(0) : models.size() + " models";
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
