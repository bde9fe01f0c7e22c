package dev.benchmon.server.cli;

import dev.benchmon.server.ingest.IngestReport;
import dev.benchmon.server.ingest.MetricChange;
import dev.benchmon.server.ingest.ResultReport;

import java.util.List;
import java.util.Locale;

/** The push summary: a small table for the terminal and Markdown for the GitHub job summary. */
final class PushSummary {
    /** Regressed results listed at most (the counts always cover all). */
    static final int MAX_LISTED = 20;

    private PushSummary() {
    }

    static String text(IngestReport report, String target, String verification) {
        StringBuilder sb = new StringBuilder();
        sb.append("pushed ").append(report.results().size()).append(" result(s) to ").append(target).append('\n');
        sb.append(String.format("%-8s %-16s %-12s%n", "stored", "already present", "regressions"));
        sb.append(String.format("%-8d %-16d %-12d%n", report.created(), report.alreadyPresent(), report.regressions()));
        List<ResultReport> regressed = report.results().stream().filter(ResultReport::regressed).toList();
        if (!regressed.isEmpty()) {
            sb.append("\nregressions:\n");
            regressed.stream().limit(MAX_LISTED).forEach(r -> r.regressions().forEach(m ->
                    sb.append("  #").append(r.index()).append(' ').append(r.series()).append("  ").append(describe(m)).append('\n')));
            if (regressed.size() > MAX_LISTED) {
                sb.append("  ... and ").append(regressed.size() - MAX_LISTED).append(" more\n");
            }
        }
        List<ResultReport> changed = report.results().stream().filter(r -> !r.changes().isEmpty()).toList();
        if (!changed.isEmpty()) {
            sb.append("\nother findings (never fail CI unless --fail-on-missing):\n");
            changed.stream().limit(MAX_LISTED).forEach(r -> r.changes().forEach(m ->
                    sb.append("  #").append(r.index()).append(' ').append(r.series()).append("  ").append(m.metric())
                            .append(' ').append(m.outcome().replace('_', ' ')).append(": ").append(m.text()).append('\n')));
        }
        report.results().stream().filter(ResultReport::late).limit(MAX_LISTED).forEach(r -> sb.append("  #").append(r.index())
                .append(' ').append(r.series()).append(": late arrival, judged against the runs before it\n"));
        if (verification != null) {
            sb.append(verification).append('\n');
        }
        return sb.toString();
    }

    static String markdown(IngestReport report, String target, String verification) {
        StringBuilder sb = new StringBuilder("### benchmon push\n\n");
        sb.append("| stored | already present | regressions |\n|---:|---:|---:|\n");
        sb.append("| ").append(report.created()).append(" | ").append(report.alreadyPresent()).append(" | ")
                .append(report.regressions()).append(" |\n\n");
        List<ResultReport> regressed = report.results().stream().filter(ResultReport::regressed).toList();
        if (!regressed.isEmpty()) {
            sb.append("| series | metric | baseline | current | change | severity |\n|---|---|---:|---:|---:|---|\n");
            regressed.stream().limit(MAX_LISTED).forEach(r -> r.regressions().forEach(m -> sb.append("| ")
                    .append(MarkdownText.cell(r.series())).append(" | ").append(MarkdownText.cell(m.metric())).append(" | ")
                    .append(num(m.baseline())).append(" | ").append(num(m.current())).append(" | ")
                    .append(pct(m.relativeChange())).append(" | ").append(MarkdownText.cell(m.severity())).append(" |\n")));
            sb.append('\n');
        }
        sb.append("Server: ").append(MarkdownText.cell(target)).append('\n');
        if (verification != null) {
            sb.append('\n').append(MarkdownText.cell(verification)).append('\n');
        }
        return sb.append('\n').toString();
    }

    private static String describe(MetricChange m) {
        return m.metric() + " " + num(m.baseline()) + " -> " + num(m.current()) + " (" + pct(m.relativeChange()) + ", "
                + m.severity() + ")" + (m.text() == null || m.text().isEmpty() ? "" : ": " + m.text());
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private static String pct(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%+.1f%%", v * 100);
    }

}
