package dev.benchmon.detect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ValidationException;
import dev.benchmon.ingest.ResultJson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * One series read from a file for {@code benchmon changepoints}: a CSV with a header row (the column
 * defaults to the first numeric one; empty cells and {@code nan} are missing values) or JSON Lines
 * (one object per line; the field defaults to the first numeric one, also inside {@code "metrics"}).
 * Rows are 0-based data rows (the header is not a row). benchmon's own columns that are no metric ({@code id},
 * {@code attempt}, {@code transaction_id}, {@code run_count}) are never the default. When every row has a
 * {@code run_at} (ISO-8601, as benchmon writes it), the values are taken oldest first whatever the file's order:
 * {@code benchmon export history} writes the newest first. Rows with the same {@code run_at} are taken by their
 * {@code id} (the log's order, as detection takes them), else by {@code attempt}, when every row has that column as
 * a whole number; else in the file's order.
 *
 * @param rows   the row index of each value (missing rows skipped)
 * @param values the values
 */
public record SeriesFile(String column, int[] rows, double[] values) {
    /** Columns of benchmon's exports that count or number rows: never a series to search by default. */
    private static final Set<String> NOT_METRICS = Set.of("id", "attempt", "transaction_id", "run_count");

    public static SeriesFile read(Path file, String column) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean json = name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")
                || (!lines.isEmpty() && lines.get(0).trim().startsWith("{"));
        return json ? jsonLines(lines, column) : csv(lines, column);
    }

    private static SeriesFile csv(List<String> lines, String column) {
        if (lines.isEmpty()) {
            throw problem("file", "is empty: expected a header row and values");
        }
        List<String> header = split(lines.get(0));
        int col = -1;
        if (column != null) {
            col = header.indexOf(column);
            if (col < 0) {
                throw problem("column", "'" + column + "' is not in the header " + header);
            }
        } else {
            for (int c = 0; c < header.size() && col < 0; c++) {
                if (NOT_METRICS.contains(header.get(c))) {
                    continue;
                }
                for (int r = 1; r < lines.size(); r++) {
                    List<String> cells = split(lines.get(r));
                    if (c < cells.size() && !missing(cells.get(c))) {
                        if (number(cells.get(c)) != null) {
                            col = c;
                        }
                        break;
                    }
                }
            }
            if (col < 0) {
                throw problem("column", "no numeric column found in " + header + "; name one with --column");
            }
        }
        int runAtCol = header.indexOf("run_at");
        int idCol = header.indexOf("id");
        int attemptCol = header.indexOf("attempt");
        List<Integer> rows = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        List<String> runAts = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        List<Long> attempts = new ArrayList<>();
        for (int r = 1; r < lines.size(); r++) {
            if (lines.get(r).isBlank()) {
                continue;
            }
            List<String> cells = split(lines.get(r));
            String cell = col < cells.size() ? cells.get(col) : "";
            if (missing(cell)) {
                continue;
            }
            Double v = number(cell);
            if (v == null) {
                throw problem("row " + (r - 1), "'" + cell + "' in column " + header.get(col) + " is not a number");
            }
            rows.add(r - 1);
            values.add(v);
            runAts.add(runAtCol >= 0 && runAtCol < cells.size() ? cells.get(runAtCol) : null);
            ids.add(whole(idCol >= 0 && idCol < cells.size() ? cells.get(idCol) : null));
            attempts.add(whole(attemptCol >= 0 && attemptCol < cells.size() ? cells.get(attemptCol) : null));
        }
        return inTimeOrder(header.get(col), rows, values, runAts, ids, attempts);
    }

    private static SeriesFile jsonLines(List<String> lines, String column) {
        List<Integer> rows = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        List<String> runAts = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        List<Long> attempts = new ArrayList<>();
        String chosen = column;
        Set<String> fieldsSeen = new TreeSet<>();
        int row = 0;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode o;
            try {
                o = ResultJson.mapper().readTree(line);
            } catch (IOException e) {
                throw problem("row " + row, "is not a JSON object: " + e.getMessage());
            }
            JsonNode fields = o.has("metrics") && o.get("metrics").isObject() ? o.get("metrics") : o;
            fields.fieldNames().forEachRemaining(fieldsSeen::add);
            if (chosen == null) {
                for (Iterator<String> it = fields.fieldNames(); it.hasNext() && chosen == null; ) {
                    String f = it.next();
                    if (fields.get(f).isNumber() && !NOT_METRICS.contains(f)) {
                        chosen = f;
                    }
                }
            }
            JsonNode v = chosen == null ? null : fields.get(chosen);
            if (v != null && v.isNumber()) {
                rows.add(row);
                values.add(v.asDouble());
                runAts.add(o.path("run_at").isTextual() ? o.get("run_at").asText() : null);
                ids.add(whole(o.path("id").isValueNode() ? o.get("id").asText() : null));
                attempts.add(whole(o.path("attempt").isValueNode() ? o.get("attempt").asText() : null));
            } else if (v != null && !v.isNull()) {
                throw problem("row " + row, v + " in field " + chosen + " is not a number");
            }
            row++;
        }
        if (chosen == null) {
            throw problem("column", "no numeric field found; name one with --column");
        }
        if (!fieldsSeen.contains(chosen)) { // as a CSV column missing from the header: a typo, not an empty series
            throw problem("column", "'" + chosen + "' is not a field of any line (a line's metrics are read from its "
                    + "\"metrics\" object when it has one); fields: " + fieldsSeen);
        }
        return inTimeOrder(chosen, rows, values, runAts, ids, attempts);
    }

    /**
     * The values oldest first when every one has a readable run_at; ties by id, else attempt (when every row has it),
     * else in the file's order (a stable sort).
     */
    private static SeriesFile inTimeOrder(String column, List<Integer> rows, List<Double> values, List<String> runAts,
                                          List<Long> ids, List<Long> attempts) {
        Integer[] order = new Integer[rows.size()];
        java.time.Instant[] at = new java.time.Instant[rows.size()];
        boolean timed = !rows.isEmpty();
        for (int i = 0; i < order.length && timed; i++) {
            order[i] = i;
            try {
                at[i] = runAts.get(i) == null ? null : java.time.OffsetDateTime.parse(runAts.get(i).trim()).toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                at[i] = null;
            }
            timed = at[i] != null;
        }
        if (timed) {
            java.util.Comparator<Integer> byTime = java.util.Comparator.comparing(i -> at[i]);
            // An export lists runs of one run_at newest id first: the file's order would reverse them.
            List<Long> tie = !ids.contains(null) ? ids : !attempts.contains(null) ? attempts : null;
            java.util.Arrays.sort(order, tie == null ? byTime : byTime.thenComparing(tie::get));
        } else {
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
        }
        return new SeriesFile(column, java.util.Arrays.stream(order).mapToInt(rows::get).toArray(),
                java.util.Arrays.stream(order).mapToDouble(values::get).toArray());
    }

    /** A whole number, or null for a missing or other cell. */
    private static Long whole(String cell) {
        try {
            return cell == null ? null : Long.valueOf(cell.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean missing(String cell) {
        String t = cell.trim();
        return t.isEmpty() || t.equalsIgnoreCase("nan") || t.equalsIgnoreCase("na") || t.equalsIgnoreCase("null");
    }

    private static Double number(String cell) {
        try {
            double v = Double.parseDouble(cell.trim());
            return Double.isFinite(v) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Splits a CSV line (double-quoted cells may hold commas and doubled quotes). */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        out.add(cell.toString());
        return out;
    }

    private static ValidationException problem(String field, String message) {
        return new ValidationException(ValidationException.Problem.of(field, message));
    }

    /** Change points of the series, with {@link ChangePoint#index()} mapped back to file rows. */
    public List<ChangePoint> changePoints(DetectionSettings settings) {
        List<ChangePoint> out = new ArrayList<>();
        for (ChangePoint cp : new ChangePointDetector(settings).detect(values)) {
            out.add(new ChangePoint(rows[cp.index()], cp.before(), cp.after(), cp.magnitude(), cp.sd(), cp.confidence(), null, null));
        }
        return out;
    }
}
