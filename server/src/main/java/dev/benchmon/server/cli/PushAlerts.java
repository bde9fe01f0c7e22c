package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.Benchmon;
import dev.benchmon.server.alert.Alerting;
import dev.benchmon.server.ingest.IngestReport;
import dev.benchmon.server.ingest.Ingestion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The alerts a push raised, still shows or resolved (the {@code alerts} of the server's answer), for the push
 * summary, the job summary / PR comment, and {@code --fail-on-regression}, which fails only on open ones
 * (each says, as {@code fails_push}, whether it fails this push, and, as {@code resolved_now}, whether the request
 * resolved it).
 *
 * @param known whether the server reported alerts at all (an older server does not: then any regression fails)
 */
record PushAlerts(boolean known, List<JsonNode> alerts) {
    static PushAlerts none() {
        return new PushAlerts(false, List.of());
    }

    /** From one answer of {@code POST /api/v1/results}. */
    static PushAlerts fromAnswer(JsonNode answer) {
        if (!answer.has("alerts")) {
            return none();
        }
        List<JsonNode> list = new ArrayList<>();
        answer.path("alerts").forEach(list::add);
        return new PushAlerts(true, list);
    }

    /** Straight from the database (push --db), with links from BENCHMON_REPO_URL / BENCHMON_CI_URL. */
    static PushAlerts fromDatabase(Benchmon benchmon, IngestReport report, Map<String, String> env) {
        try (Alerting alerting = AlertService.Database.alerting(benchmon, env)) {
            return fromAnswer(wrap(Ingestion.alertsJson(benchmon, report, alerting::json)));
        }
    }

    private static JsonNode wrap(JsonNode array) {
        var root = dev.benchmon.ingest.ResultJson.mapper().createObjectNode();
        root.set("alerts", array);
        return root;
    }

    /**
     * Both batches' alerts, each once, as the later batch shows it; an alert that failed either batch fails the push
     * (each batch judged its own runs, as the server does within one request) while it is open: a later batch whose
     * runs resolved it lists it resolved, and it fails nothing. One an earlier batch resolved stays resolved by this
     * push while a later batch shows it still resolved.
     */
    PushAlerts plus(PushAlerts other) {
        Map<Long, JsonNode> byId = new LinkedHashMap<>();
        alerts.forEach(a -> byId.put(a.path("id").asLong(), a));
        other.alerts.forEach(a -> byId.merge(a.path("id").asLong(), a, (earlier, later) -> fails(earlier) && !fails(later)
                ? copy(later).put("fails_push", true)
                : resolvedNow(earlier) && isResolved(later) && !resolvedNow(later) ? copy(later).put(RESOLVED_NOW, true)
                : later));
        return new PushAlerts(known || other.known, new ArrayList<>(byId.values()));
    }

    /**
     * These alerts as this push answers for them: a resolved one is kept only when this push's requests resolved it
     * ({@code resolved_now}, said apart: a push that re-sends a resolved regression's run is no news of it, and an older
     * server does not say), and one of a series of which this push stored nothing fails nothing (its runs were all
     * stored before, and could fail CI then), marked {@code stored_nothing} for the summary.
     *
     * @param storedSeries the series ({@code model / dataset / prompt @environment}) of the results this push stored
     */
    PushAlerts ofStored(java.util.Set<String> storedSeries) {
        List<JsonNode> kept = new ArrayList<>();
        for (JsonNode a : alerts) {
            if (isResolved(a)) {
                if (resolvedNow(a)) {
                    kept.add(a);
                }
                continue;
            }
            kept.add(storedSeries.contains(str(a, "series")) ? a : copy(a).put("fails_push", false).put(STORED_NOTHING, true));
        }
        return new PushAlerts(known, kept);
    }

    /**
     * The series and metrics whose alerts here are all resolved: a regression of them that this push stored is over,
     * and fails nothing. Read before {@link #ofStored}, which leaves resolved alerts out.
     */
    java.util.Set<SeriesMetric> resolvedOnly() {
        java.util.Set<SeriesMetric> resolved = new java.util.HashSet<>();
        java.util.Set<SeriesMetric> active = new java.util.HashSet<>();
        alerts.forEach(a -> (isResolved(a) ? resolved : active)
                .add(new SeriesMetric(str(a, "series"), str(a, "metric"))));
        resolved.removeAll(active);
        return resolved;
    }

    /** Marks an alert of a series of which the push stored nothing ({@link #ofStored}). */
    private static final String STORED_NOTHING = "stored_nothing";

    /** Marks an alert the request's runs resolved, in the server's answer. */
    private static final String RESOLVED_NOW = "resolved_now";

    /** Alerts in state open. */
    long open() {
        return alerts.stream().filter(PushAlerts::isOpen).count();
    }

    /**
     * Alerts that fail {@code --fail-on-regression}: as the server says ({@code fails_push}: open, and a
     * regression under the push's own --sensitivity / --min-effect when given), else (an older server) open.
     */
    long failing() {
        return alerts.stream().filter(PushAlerts::fails).count();
    }

    /** The alerts that fail {@link #failing()}, each as {@code #3 f1 (m / d / p @ci)}, in the order listed. */
    List<String> failingNames() {
        return alerts.stream().filter(PushAlerts::fails)
                .map(a -> "#" + str(a, "id") + " " + str(a, "metric") + " (" + str(a, "series") + ")").toList();
    }

    private static boolean isOpen(JsonNode a) {
        return "open".equals(str(a, "state"));
    }

    private static boolean isResolved(JsonNode a) {
        return "resolved".equals(str(a, "state"));
    }

    /** Resolved by the runs of this push (as its request's answer says), not before it. */
    private static boolean resolvedNow(JsonNode a) {
        return isResolved(a) && a.path(RESOLVED_NOW).asBoolean();
    }

    /** The alerts listed in the summary's alerts table: all but those this push resolved, said apart. */
    private List<JsonNode> listed() {
        return alerts.stream().filter(a -> !resolvedNow(a)).toList();
    }

    /** The alerts this push's runs resolved, each said on a line of its own ({@link #resolvedLine}). */
    private List<JsonNode> resolvedByThisPush() {
        return alerts.stream().filter(PushAlerts::resolvedNow).toList();
    }

    /** A copy of alert {@code a} to mark: the answers' nodes are shared by the batches merged ({@link #plus}). */
    private static com.fasterxml.jackson.databind.node.ObjectNode copy(JsonNode a) {
        return (com.fasterxml.jackson.databind.node.ObjectNode) a.deepCopy();
    }

    /**
     * One line an alert this push resolved: {@code resolved: alert #11 f1 (m / d / p @ci) back at the old level in this
     * push}, of the alert's number, metric and series as given (as Markdown, in the job summary).
     */
    private static String resolvedLine(String id, String metric, String series) {
        return "resolved: alert " + id + " " + metric + " (" + series + ") back at the old level in this push";
    }

    /** Only an open alert fails: one a later batch resolved (or acknowledged) fails nothing, whatever a batch said. */
    private static boolean fails(JsonNode a) {
        return isOpen(a) && (!a.has("fails_push") || a.path("fails_push").asBoolean());
    }

    /** Why an open alert does not fail this push, or null when it does (or is not open). */
    private static String notFailing(JsonNode a, String requestSettings) {
        if (isOpen(a) && a.path(STORED_NOTHING).asBoolean()) {
            return "its runs in this push were all stored before: does not fail this push";
        }
        return isOpen(a) && !fails(a) ? "not a regression under " + requestSettings + ": does not fail this push" : null;
    }

    /** @param requestSettings the push's --sensitivity / --min-effect as typed, the reason an open alert may not fail */
    String text(String requestSettings) {
        StringBuilder sb = new StringBuilder();
        List<JsonNode> listed = listed();
        if (!listed.isEmpty()) {
            sb.append("\nalerts (").append(open()).append(" open):\n");
        }
        for (JsonNode a : listed) {
            sb.append(String.format("  %-11s %-13s %s  %s %s  %s%n", "alert #" + str(a, "id"), str(a, "state"),
                    str(a, "series"), str(a, "metric"), str(a, "change"),
                    dev.benchmon.detect.CommitRange.shortened(str(a, "commit_range"))).stripTrailing()).append('\n');
            String why = notFailing(a, requestSettings);
            if (why != null) {
                sb.append("              ").append(why).append('\n');
            }
            if (!str(a, "url").isEmpty()) {
                sb.append("              ").append(str(a, "url")).append('\n');
            }
        }
        List<JsonNode> resolved = resolvedByThisPush();
        if (!resolved.isEmpty()) {
            sb.append('\n');
        }
        for (JsonNode a : resolved) {
            sb.append(resolvedLine("#" + str(a, "id"), str(a, "metric"), str(a, "series"))).append('\n');
            if (!str(a, "url").isEmpty()) {
                sb.append("  ").append(str(a, "url")).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * A Markdown table for the job summary and the PR comment, with links to the alert, the commits and the run; then a
     * list of the alerts this push resolved.
     */
    String markdown(String requestSettings) {
        StringBuilder sb = new StringBuilder();
        List<JsonNode> listed = listed();
        if (!listed.isEmpty()) {
            table(sb, listed, requestSettings);
        }
        List<JsonNode> resolved = resolvedByThisPush();
        resolved.forEach(a -> sb.append("- ").append(resolvedLine(link("#" + str(a, "id"), str(a, "url")),
                MarkdownText.cell(str(a, "metric")), MarkdownText.cell(str(a, "series")))).append('\n'));
        if (!resolved.isEmpty()) {
            sb.append('\n');
        }
        return sb.toString();
    }

    private void table(StringBuilder sb, List<JsonNode> listed, String requestSettings) {
        sb.append("#### Alerts (").append(open()).append(" open)\n\n");
        sb.append("| alert | state | series | metric | change | commits | run |\n|---|---|---|---|---:|---|---|\n");
        for (JsonNode a : listed) {
            String state = str(a, "state");
            String why = notFailing(a, requestSettings);
            sb.append("| ").append(link("alert #" + str(a, "id"), str(a, "url")))
                    .append(" | ").append(why != null ? "open (" + MarkdownText.cell(why) + ")" : isOpen(a) ? "**open**" : MarkdownText.cell(state))
                    .append(" | ").append(MarkdownText.cell(str(a, "series")))
                    .append(" | ").append(MarkdownText.cell(str(a, "metric")))
                    .append(" | ").append(MarkdownText.cell(str(a, "change")))
                    .append(" | ").append(link(dev.benchmon.detect.CommitRange.shortened(str(a, "commit_range")), str(a, "compare_url")))
                    .append(" | ").append(link(str(a, "run_id"), str(a, "run_url")))
                    .append(" |\n");
        }
        sb.append("\nOnly **open** alerts fail `--fail-on-regression` (with `--sensitivity` or `--min-effect`, only those "
                + "still a regression under them); acknowledge, expect or mute them with "
                + "`benchmon alerts` or on the dashboard's Alerts view.\n\n");
    }

    private static String link(String text, String url) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        return url == null || url.isEmpty() || url.equals("null") ? MarkdownText.cell(text) : "[" + MarkdownText.cell(text) + "](" + url.replace(")", "%29") + ")";
    }


    /** A field as text; empty when missing or null (JSON null is not the text "null"). */
    static String str(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? "" : v.asText();
    }
}
