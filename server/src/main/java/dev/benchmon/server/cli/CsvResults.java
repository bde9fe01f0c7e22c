package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.ValidationException;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.query.MetricColumns;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Results from CSV: a header row, then one result per row. Columns named like result fields
 * ({@code model_version}, {@code run_at}, ...) fill those fields; {@code tags} holds
 * {@code k=v, k2=v2} and {@code tag.K} columns add one tag each; {@code id}, {@code recorded_at} and
 * the other columns benchmon adds on export are ignored; every other column is a metric (empty cells
 * are skipped). So {@code benchmon export history} output imports back as it was.
 */
final class CsvResults {
    private static final Set<String> TEXT_FIELDS = Set.of("model_version", "dataset_version", "prompt_version",
            "model_provider", "environment", "run_at", "commit_sha", "branch", "run_id", "triggered_by", "notes",
            "idempotency_key");
    private static final Set<String> IGNORED = Set.of("id", "recorded_at", "transaction_id", "run_count", "first_seen",
            "last_seen", "attempt");

    private CsvResults() {
    }

    /** The rows as result objects (not yet validated). */
    static List<JsonNode> parse(String text) {
        List<List<String>> rows = Csv.parse(text);
        if (rows.isEmpty()) {
            return List.of();
        }
        // Trimming cannot change a metric name: names never start or end with whitespace (TextRules).
        List<String> header = rows.get(0).stream().map(String::trim).toList();
        if (!header.contains("model_version")) {
            throw new ValidationException(ValidationException.Problem.of("header",
                    "the first CSV row must name the columns, including model_version, dataset_version and metric columns"));
        }
        List<JsonNode> nodes = new ArrayList<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            if (row.size() == 1 && row.get(0).isBlank()) {
                continue;
            }
            ObjectNode o = ResultJson.mapper().createObjectNode();
            for (int c = 0; c < header.size() && c < row.size(); c++) {
                put(o, header.get(c), row.get(c));
            }
            nodes.add(o);
        }
        return nodes;
    }

    private static void put(ObjectNode o, String column, String value) {
        if (value.isEmpty() || IGNORED.contains(column)) {
            return;
        }
        if (TEXT_FIELDS.contains(column)) {
            o.put(column, value);
        } else if (column.equals("tags")) {
            for (String pair : value.split(",")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    o.with("tags").put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                }
            }
        } else if (column.startsWith("tag.")) {
            o.with("tags").put(column.substring(4), value);
        } else {
            // A metric named like a fixed column was exported as metric:NAME (MetricColumns): read it back as NAME.
            String metric = MetricColumns.metricName(column);
            try {
                o.with("metrics").put(metric, Double.parseDouble(value.trim()));
            } catch (NumberFormatException e) {
                o.with("metrics").put(metric, value); // the reader names it: dropped with a warning, or refused
            }
        }
    }

    /** A small RFC 4180 reader: quoted fields, doubled quotes, line breaks inside quotes, CRLF. */
    static final class Csv {
        private Csv() {
        }

        static List<List<String>> parse(String text) {
            List<List<String>> rows = new ArrayList<>();
            List<String> row = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < text.length(); i++) {
                char ch = text.charAt(i);
                if (quoted) {
                    if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else if (ch == '"') {
                        quoted = false;
                    } else {
                        field.append(ch);
                    }
                } else if (ch == '"') {
                    quoted = true;
                } else if (ch == ',') {
                    row.add(field.toString());
                    field.setLength(0);
                } else if (ch == '\n' || ch == '\r') {
                    if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                        i++;
                    }
                    row.add(field.toString());
                    field.setLength(0);
                    rows.add(row);
                    row = new ArrayList<>();
                } else {
                    field.append(ch);
                }
            }
            if (field.length() > 0 || !row.isEmpty()) {
                row.add(field.toString());
                rows.add(row);
            }
            return rows;
        }
    }
}
