package dev.benchmon.server.web;

import dev.benchmon.alert.RunRecords;
import dev.benchmon.query.MetricColumns;
import dev.benchmon.server.api.FormulaGuard;

import java.util.List;
import java.util.TreeSet;

/**
 * The series page's runs as CSV ({@code /series/{id}/runs.csv}), one line per run, newest first as given:
 * {@code run_at,transaction_id,commit_sha,run_id,branch,triggered_by,tags,notes,excluded,excluded_reason}, then one
 * column per metric any run reports (named as stored, in name order; {@code metric:NAME} for a metric named like a
 * fixed column or starting with {@code metric:} or {@code stderr:}), then, for each of those metrics that any run gave
 * a standard error for, its {@code stderr:METRIC} column (in the same order; {@link MetricColumns#stderrColumnName}).
 * No metric's column can be named like a standard-error column, whatever the metric names are.
 * Appended after the metric values, so the columns before them keep their places. A run without a value (or a
 * standard error) for a column leaves its cell empty.
 */
final class SeriesRunsCsv {
    private static final List<String> FIXED = List.of("run_at", "transaction_id", "commit_sha", "run_id", "branch",
            "triggered_by", "tags", "notes", "excluded", "excluded_reason");

    private SeriesRunsCsv() {
    }

    /** The CSV text of {@code runs}, with a header line and a line feed after every line. */
    static String of(List<RunRecords.Run> runs) {
        TreeSet<String> metrics = new TreeSet<>();
        runs.forEach(r -> metrics.addAll(r.metrics().keySet()));
        List<String> withStderr = metrics.stream().filter(m -> runs.stream().anyMatch(r -> r.stderr().containsKey(m)))
                .toList();

        StringBuilder csv = new StringBuilder(String.join(",", FIXED));
        metrics.forEach(m -> csv.append(',').append(cell(MetricColumns.columnNameBesideStderr(m, FIXED))));
        withStderr.forEach(m -> csv.append(',').append(cell(MetricColumns.stderrColumnName(m))));
        csv.append('\n');
        for (RunRecords.Run r : runs) {
            csv.append(r.runAt()).append(',').append(r.id()).append(',').append(cell(r.commitSha())).append(',')
                    .append(cell(r.runId())).append(',').append(cell(r.branch())).append(',').append(cell(r.triggeredBy()))
                    .append(',').append(cell(AlertPages.tags(r.tags()))).append(',').append(cell(r.notes())).append(',')
                    .append(r.excluded()).append(',').append(cell(r.excludedReason()));
            metrics.forEach(m -> csv.append(',').append(number(r.metrics().get(m))));
            withStderr.forEach(m -> csv.append(',').append(number(r.stderr().get(m))));
            csv.append('\n');
        }
        return csv.toString();
    }

    private static String number(Double d) {
        return d == null ? "" : String.valueOf(d);
    }

    /** A CSV cell: quoted when needed, with the formula guard ({@link FormulaGuard#guard}). */
    private static String cell(String s) {
        if (s == null) {
            return "";
        }
        String v = FormulaGuard.guard(s);
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            v = "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}
