package dev.benchmon.alert;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.ingest.ResultJson;

import java.time.Instant;
import java.util.List;

/**
 * The notification bodies. The generic webhook's JSON (documented in docs/ALERTS.md):
 * <pre>{@code
 * {"event": "alerts", "sent_at": "2026-11-29T11:00:00Z", "dashboard": "http://host:7070/alerts",
 *  "alerts": [{"id": 7, "state": "open", "series": "m / d @ci", "series_id": 3, "metric": "f1",
 *              "kind": "regression", "change": "-7.0 points", "baseline": 0.91, "current": 0.84,
 *              "severity": "major", "now_transaction_id": 44, "now_value": 0.80, "now_relative_change": -0.121,
 *              "now_change": "-11.0 points", "now_severity": "critical", "commit_range": "abc..def", "compare_url": "https://github.com/o/r/compare/abc...def",
 *              "transaction_id": 42, "run_id": "123", "verdict": "...", "unit": null, "url": "http://host:7070/alerts/7"}]}
 * }</pre>
 * The Slack message is an incoming-webhook {@code {"text": ...}} with mrkdwn links. Both link each alert to its own
 * dashboard page ({@link #alertUrl}).
 */
public final class AlertMessages {
    private AlertMessages() {
    }

    /**
     * The dashboard page of alert {@code id} ({@code /alerts/ID}: what it found and its whole history, in any state),
     * under {@code dashboardUrl} (ending in a slash). Every alert link that leaves the server is this one; the series
     * page's {@code /series/ID#alert-N} anchors, which these links were before, stay for links already sent.
     */
    public static String alertUrl(String dashboardUrl, long id) {
        return dashboardUrl + "alerts/" + id;
    }

    /** The generic webhook body for these alerts. */
    public static String webhook(List<Alert> alerts, String dashboardUrl, Links links, Instant now) {
        ObjectNode root = ResultJson.mapper().createObjectNode();
        root.put("event", "alerts");
        root.put("sent_at", now.toString());
        if (dashboardUrl != null) {
            root.put("dashboard", dashboardUrl + "alerts");
        }
        root.set("alerts", json(alerts, dashboardUrl, links));
        return root.toString();
    }

    /** Alerts as the JSON array the webhook, the API and the push answer share. */
    public static ArrayNode json(List<Alert> alerts, String dashboardUrl, Links links) {
        ArrayNode array = ResultJson.mapper().createArrayNode();
        for (Alert a : alerts) {
            ObjectNode o = array.addObject();
            o.put("id", a.id());
            o.put("state", a.state().sqlName());
            o.put("series", a.series());
            o.put("series_id", a.seriesId());
            o.put("model_version", a.modelVersion()).put("dataset_version", a.datasetVersion())
                    .put("prompt_version", a.promptVersion()).put("environment", a.environment());
            o.put("metric", a.metric());
            o.put("kind", a.kind());
            o.put("change", a.change());
            number(o, "baseline", a.baseline());
            number(o, "current", a.current());
            number(o, "relative_change", a.magnitude());
            o.put("severity", a.severity());
            // the change now (null once the alert is not active); the fields above stay those of the opening
            if (a.nowTransactionId() == null) o.putNull("now_transaction_id"); else o.put("now_transaction_id", a.nowTransactionId());
            number(o, "now_value", a.nowValue());
            number(o, "now_relative_change", a.nowRelativeChange());
            o.put("now_change", a.nowChange());
            o.put("now_severity", a.nowSeverity());
            o.put("commit_range", a.commitRange());
            o.put("commit_from", a.commitFrom());
            o.put("commit_to", a.commitTo());
            o.put("compare_url", a.compareUrl(links));
            o.put("transaction_id", a.transactionId());
            o.put("last_transaction_id", a.lastTransactionId());
            o.put("run_id", a.runId());
            o.put("run_url", links.run(a.runId()));
            // with the unit after its change, as the dashboard and push word it (the stored words have none)
            o.put("verdict", a.verdictWithUnit());
            o.put("unit", a.unit());
            o.put("shift_transaction_id", a.shiftTx());
            if (a.changePointTx() == null) {
                o.putNull("change_point");
            } else {
                ObjectNode cp = o.putObject("change_point");
                cp.put("transaction_id", a.changePointTx());
                cp.put("commit_range", a.changePointRange());
                number(cp, "confidence", a.changePointConfidence());
                // in the words of the alert page (the one wording, which alerts list prints as it is)
                cp.put("text", a.changePointText());
            }
            o.put("opened_at", a.openedAt() == null ? null : a.openedAt().toString());
            o.put("state_changed_at", a.stateChangedAt() == null ? null : a.stateChangedAt().toString());
            if (dashboardUrl != null) {
                o.put("url", alertUrl(dashboardUrl, a.id()));
            }
        }
        return array;
    }

    /** A Slack-compatible incoming-webhook message: one line per alert with series, metric, change, commits and a link. */
    public static String slack(List<Alert> alerts, String dashboardUrl, Links links) {
        StringBuilder text = new StringBuilder();
        long open = alerts.stream().filter(a -> a.state() == AlertState.OPEN).count();
        text.append(open > 0 ? ":rotating_light: benchmon: " + open + " new regression alert" + (open == 1 ? "" : "s")
                : ":white_check_mark: benchmon: " + alerts.size() + " alert" + (alerts.size() == 1 ? "" : "s") + " resolved");
        if (dashboardUrl != null) {
            text.append(" (<").append(dashboardUrl).append("alerts|open the Alerts view>)");
        }
        for (Alert a : alerts) {
            text.append("\n• *").append(esc(a.state().sqlName())).append("* ").append(esc(a.series())).append(" · *")
                    .append(esc(a.metric())).append("* ").append(esc(a.change()));
            String range = a.commitRange();
            if (!range.isEmpty()) {
                String compare = a.compareUrl(links);
                String shown = esc(dev.benchmon.detect.CommitRange.shortened(range)); // read by people; the link has them whole
                text.append(" · ").append(compare == null ? "`" + shown + "`" : "<" + compare + "|" + shown + ">");
            }
            if (dashboardUrl != null) {
                text.append(" · <").append(alertUrl(dashboardUrl, a.id())).append("|alert ").append(a.id()).append('>');
            }
        }
        ObjectNode root = ResultJson.mapper().createObjectNode();
        root.put("text", text.toString());
        return root.toString();
    }

    /** Slack's mrkdwn escaping: only &, < and > are special. */
    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static void number(ObjectNode o, String key, Double v) {
        if (v == null || !Double.isFinite(v)) {
            o.putNull(key);
        } else {
            o.put(key, v);
        }
    }
}
