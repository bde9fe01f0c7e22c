package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.compare.ComparisonLines;
import dev.benchmon.compare.RunComparison;
import dev.benchmon.notebook.DisplayWidth;
import dev.benchmon.notebook.ReadableNumber;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A paired comparison ({@code ComparisonJson}) as text for the terminal, and its flipped items as CSV. */
final class ComparisonText {
    private static final int MAX_SLICES = 20;

    private ComparisonText() {
    }

    /**
     * The comparison {@code c} (the API's paired answer) as text. {@code flipsWritten}: {@code --flips FILE} was given,
     * so the flipped items are not offered as "--flips FILE writes them" (the command says where it wrote them).
     */
    static String of(JsonNode c, boolean flipsWritten) {
        StringBuilder sb = new StringBuilder();
        // The header and warning lines as every view words them (ComparisonLines), rebuilt from the answer's fields:
        // the same lines from a server's answer as from the database.
        int metrics = c.path("rows").size();
        RunComparison.RunMeans meansA = means(c.path("a"));
        RunComparison.RunMeans meansB = means(c.path("b"));
        sb.append(side("A", c.path("a"), meansA, metrics)).append('\n');
        sb.append(side("B", c.path("b"), meansB, metrics)).append('\n');
        warnings(c).forEach(l -> sb.append(l).append('\n'));
        int level = (int) Math.round(c.path("confidence").asDouble() * 100);
        // Names pad by terminal columns (DisplayWidth): %-24s counts UTF-16 units, so a metric named 准确率 shifted its row.
        sb.append(String.format(Locale.ROOT, "%n%s %10s %10s %10s  %-23s %9s  %s%n", DisplayWidth.padRight("metric", 24),
                "A", "B", "B - A", level + "% interval", "p", "method"));
        for (JsonNode r : c.path("rows")) {
            sb.append(String.format(Locale.ROOT, "%s %10s %10s %10s  %-23s %9s  %s%s%n",
                    DisplayWidth.padRight(r.path("metric").asText(), 24),
                    num(r.path("value_a")), num(r.path("value_b")), signed(r.path("diff")), interval(r),
                    p(r.path("p_value")), r.path("method").asText(), items(r)));
        }
        for (JsonNode n : c.path("notes")) {
            sb.append("note: ").append(n.asText()).append('\n');
        }
        JsonNode slices = c.path("slices");
        if (slices.path("row_count").asInt() > 0) {
            sb.append(String.format(Locale.ROOT, "%nSlices, biggest change first, either way (* fewer than %d shared items; p_holm "
                    + "adjusts for the %d slices):%n", c.path("min_slice_size").asInt(), slices.path("row_count").asInt()));
            sb.append(String.format(Locale.ROOT, "%s %6s %10s  %-23s %9s %9s%n", DisplayWidth.padRight("slice", 30), "n",
                    "B - A", level + "% interval", "p", "p_holm"));
            int shown = 0;
            for (JsonNode r : slices.path("rows")) {
                if (shown++ == MAX_SLICES) {
                    sb.append("  ... ").append(slices.path("row_count").asInt() - MAX_SLICES).append(" more (--json lists all)\n");
                    break;
                }
                sb.append(String.format(Locale.ROOT, "%s %6s %10s  %-23s %9s %9s%n",
                        DisplayWidth.padRight(abbreviate(r.path("slice").asText(), 28) + (r.path("small").asBoolean() ? " *" : ""), 30),
                        r.path("n").asText(), signed(r.path("diff")), interval(r), p(r.path("p_value")), p(r.path("p_holm"))));
            }
        }
        int flips = c.path("flips").path("row_count").asInt();
        if (flips > 0) {
            sb.append(String.format(Locale.ROOT, "%n%d item(s) scored differently; %s--json lists them.%n", flips,
                    flipsWritten ? "" : "--flips FILE writes them as CSV, "));
        }
        return sb.toString();
    }

    /**
     * The warning lines of the comparison {@code c} (the API's paired answer), as every view words them
     * ({@link ComparisonLines#warnings}): a side's newest run under active alerts first ("B better" on the means of 90
     * runs read as all clear while B's newest run was a critical regression), then what A and B differ in. The text
     * prints them under its header; {@code --json} prints them on stderr.
     */
    static List<String> warnings(JsonNode c) {
        List<RunComparison.NewestRunAlert> alerts = new ArrayList<>();
        for (JsonNode x : c.path("newest_run_alerts")) {
            alerts.add(new RunComparison.NewestRunAlert(x.path("side").asText(), x.path("transaction_id").asLong(),
                    x.path("alert_id").asLong(), x.path("metric").asText(), x.path("state").asText(),
                    x.path("severity").asText(), x.path("change").asText()));
        }
        List<String> differences = new ArrayList<>();
        c.path("warnings").forEach(w -> differences.add(w.asText()));
        return ComparisonLines.warnings(alerts, means(c.path("a")), means(c.path("b")), differences);
    }

    /** A side's header line ({@link ComparisonLines#side}) from its part of the answer ({@code "a"} or {@code "b"}). */
    private static String side(String side, JsonNode r, RunComparison.RunMeans means, int metrics) {
        String series = ComparisonLines.series(r.path("model_version").asText(), r.path("dataset_version").asText(),
                r.path("environment").asText(), r.path("prompt_version").asText());
        return ComparisonLines.side(side, series, r.path("transaction_id").asLong(), means, metrics);
    }

    /** A side's {@code run_means}, else {@code null} (its values are its result's own). */
    private static RunComparison.RunMeans means(JsonNode r) {
        JsonNode m = r.path("run_means");
        if (!m.isObject()) {
            return null;
        }
        List<String> of = new ArrayList<>();
        m.path("metrics").forEach(x -> of.add(x.asText()));
        return new RunComparison.RunMeans(m.path("runs").asInt(), Instant.parse(m.path("first_run_at").asText()),
                Instant.parse(m.path("last_run_at").asText()), m.path("newest_transaction_id").asLong(), of,
                m.path("fewest_runs").asInt(m.path("runs").asInt()));
    }

    private static String items(JsonNode r) {
        if (r.path("b_higher").isNull() || r.path("b_higher").isMissingNode()) {
            return "";
        }
        return String.format(Locale.ROOT, " (%s shared items: B higher on %s, A higher on %s; only A %s, only B %s)",
                r.path("n").asText(), r.path("b_higher").asText(), r.path("a_higher").asText(),
                r.path("only_a").asText(), r.path("only_b").asText());
    }

    private static String interval(JsonNode r) {
        if (r.path("ci_low").isNull() || r.path("ci_low").isMissingNode()) {
            return "-";
        }
        return "[" + ReadableNumber.signed(r.path("ci_low").asDouble()) + ", " + ReadableNumber.signed(r.path("ci_high").asDouble()) + "]";
    }

    // Values and differences as the toolkit's tables print them (four significant digits): a fixed four decimals
    // showed a latency of 0.00004 s as 0.0000 and padded milliseconds to 1234.5678.
    private static String num(JsonNode v) {
        return v.isNumber() ? ReadableNumber.of(v.asDouble()) : "-";
    }

    private static String signed(JsonNode v) {
        return v.isNumber() ? ReadableNumber.signed(v.asDouble()) : "-";
    }

    private static String p(JsonNode v) {
        if (!v.isNumber()) {
            return "-";
        }
        return ReadableNumber.pValue(v.asDouble());
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
