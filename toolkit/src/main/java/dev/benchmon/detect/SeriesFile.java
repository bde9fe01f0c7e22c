package dev.benchmon.detect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ValidationException;
import dev.benchmon.ingest.CsvReader;
import dev.benchmon.ingest.ResultJson;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * One series read from a file for {@code benchmon changepoints}: a CSV with a header row, read as import reads one
 * ({@link CsvReader}: quoted cells may hold commas, quotes and line breaks; the column defaults to the first numeric
 * one; empty cells and {@code nan} are missing values) or JSON Lines
 * (one object per line; the field defaults to the only numeric one, also inside {@code "metrics"}).
 * Rows are 0-based data rows (the header is not a row). benchmon's own columns that are no metric ({@code id},
 * {@code attempt}, {@code transaction_id}, {@code run_count}, and a result's context as an export writes it:
 * {@code run_id}, {@code commit_sha}, {@code recorded_at}, {@code stderr}, {@code n}, ...) are never the default, nor is a column that numbers the
 * rows ({@code run}, {@code step}, {@code index}, {@code epoch}, ... with whole numbers only rising or falling). JSON
 * Lines with several numeric fields need the column named (their order is no choice of the user's). A file whose
 * rows belong to several series (model_version, dataset_version, prompt_version, environment) is refused. When every row has a
 * {@code run_at} (ISO-8601, as benchmon writes it), the values are taken oldest first whatever the file's order
 * (a file another tool wrote, or an {@code export history} written before it listed the oldest first). Rows with the same {@code run_at} are taken by their
 * {@code id} (the log's order, as detection takes them), else by {@code attempt}, when every row has that column as
 * a whole number; else in the file's order.
 *
 * @param rows   the row index of each value (missing rows skipped)
 * @param values the values
 * @param where  where each value is in the file (its line, run_at and id), in the order of {@code values}
 */
public record SeriesFile(String column, int[] rows, double[] values, List<Where> where) {
    /**
     * Where a value is in the file, so that a change point can be found there: its 0-based data {@code row} (as
     * {@link ChangePoint#index()}), its 1-based {@code line} in the file (the header is line 1 of a CSV; a CSV row's
     * record starts there, a quoted cell may go on over further lines), and the
     * row's {@code run_at} and {@code id} as written ({@code null} when the file has no such column or the cell is
     * empty; an id that is no whole number is {@code null}).
     */
    public record Where(int row, int line, String runAt, Long id) {
    }

    /** Columns of benchmon's exports that count or number rows: never a series to search by default. */
    private static final Set<String> NOT_METRICS = Set.of("id", "attempt", "transaction_id", "run_count");
    /**
     * The context columns of a result and of {@code benchmon export history} ({@code HistoryQuery}'s columns besides
     * the metrics: run_id, commit_sha, recorded_at, stderr, n, ...): a CI run id is numeric (GitHub's are), yet never
     * a series to search by default. Not applied inside a JSON line's {@code "metrics"}, where each is a metric's name.
     */
    private static final Set<String> CONTEXT = context();

    private static Set<String> context() {
        Set<String> names = new java.util.HashSet<>(ResultJson.FIELDS);
        names.remove("metrics");
        names.add("recorded_at");
        return Set.copyOf(names);
    }
    /**
     * Names of a column that numbers rows (a training log's step, a pandas index written without a name): such a column
     * whose values are whole numbers going one way is an index, never the default series (a step count "changes" at
     * every row).
     */
    private static final Set<String> INDEX_NAMES = Set.of("", "#", "i", "run", "step", "steps", "global_step",
            "index", "idx", "epoch", "iteration", "iter", "row", "unnamed: 0");
    /** The fields that name a result's series: a file holding several is several series, not one. */
    private static final List<String> SERIES_FIELDS = List.of("model_version", "dataset_version", "prompt_version",
            "environment");

    /**
     * The series in {@code file}, of {@code column} ({@code null}: the default, as the class says).
     *
     * @throws IOException         when the file cannot be read (malformed UTF-8: a
     *                             {@link java.nio.charset.CharacterCodingException})
     * @throws ValidationException naming what is wrong with the file or the column
     */
    public static SeriesFile read(Path file, String column) throws IOException {
        String text = Files.readString(file);
        List<String> lines = text.lines().toList();
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean json = name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")
                || (!lines.isEmpty() && lines.get(0).trim().startsWith("{"));
        return json ? jsonLines(lines, column) : csv(text, column);
    }

    /**
     * A CSV read by import's reader ({@link CsvReader}): a quoted cell may span lines (a history export's notes), so a
     * row is a record, found on the line it starts on.
     */
    private static SeriesFile csv(String text, String column) {
        List<List<String>> lines = new ArrayList<>(); // the records: the header, then one per data row (blank ones too)
        List<Long> starts = new ArrayList<>(); // the 1-based line each record starts on
        CsvReader reader = new CsvReader(new StringReader(text));
        for (List<String> record = reader.next(); record != null; record = reader.next()) {
            lines.add(record);
            starts.add(reader.rowLine());
        }
        if (lines.isEmpty()) {
            throw problem("file", "is empty: expected a header row and values");
        }
        List<String> header = lines.get(0);
        int col = -1;
        if (column != null) {
            col = header.indexOf(column);
            if (col < 0) {
                throw problem("column", "'" + column + "' is not in the header " + header);
            }
        } else {
            List<String> skipped = new ArrayList<>();
            for (int c = 0; c < header.size() && col < 0; c++) {
                if (NOT_METRICS.contains(header.get(c)) || CONTEXT.contains(header.get(c))) {
                    continue;
                }
                int at = c;
                if (indexNamed(header.get(c)) && numbersRows(lines.subList(1, lines.size()).stream()
                        .map(cells -> at < cells.size() ? cells.get(at) : "").toList())) {
                    skipped.add(header.get(c));
                    continue;
                }
                for (int r = 1; r < lines.size(); r++) {
                    List<String> cells = lines.get(r);
                    if (c < cells.size() && !missing(cells.get(c))) {
                        if (number(cells.get(c)) != null) {
                            col = c;
                        }
                        break;
                    }
                }
            }
            if (col < 0) {
                throw problem("column", "no numeric column found in " + header + (skipped.isEmpty() ? "" : " besides "
                        + "the row numbers in " + skipped) + "; name one with --column");
            }
        }
        oneSeries(SERIES_FIELDS.stream().map(f -> {
            int at = header.indexOf(f);
            return lines.subList(1, lines.size()).stream().filter(cells -> !blank(cells))
                    .map(cells -> at < 0 || at >= cells.size() ? "" : cells.get(at))
                    .toList();
        }).toList());
        int runAtCol = header.indexOf("run_at");
        int idCol = header.indexOf("id");
        int attemptCol = header.indexOf("attempt");
        Kept kept = new Kept();
        for (int r = 1; r < lines.size(); r++) {
            if (blank(lines.get(r))) {
                continue;
            }
            List<String> cells = lines.get(r);
            String cell = col < cells.size() ? cells.get(col) : "";
            if (missing(cell)) {
                continue;
            }
            Double v = number(cell);
            if (v == null) {
                throw problem("row " + (r - 1), "'" + cell + "' in column " + header.get(col) + " is not a number");
            }
            kept.add(r - 1, Math.toIntExact(starts.get(r)), v, cell(cells, runAtCol), cell(cells, idCol),
                    cell(cells, attemptCol));
        }
        return kept.inTimeOrder(header.get(col));
    }

    private static SeriesFile jsonLines(List<String> lines, String column) {
        Kept kept = new Kept();
        List<JsonNode> objects = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode o = ResultJson.mapper().readTree(line);
                if (objects.isEmpty() && lineNumbers.isEmpty() && o != null && ResultJson.isDefinitionsLine(o)) {
                    continue; // a history export's first line: the definitions of its metrics, not a run
                }
                lineNumbers.add(n + 1);
                objects.add(o);
            } catch (IOException e) {
                throw problem("row " + objects.size(), "is not a JSON object: " + e.getMessage());
            }
        }
        oneSeries(SERIES_FIELDS.stream().map(f -> objects.stream().map(o -> o.path(f).asText("")).toList()).toList());
        String chosen = column == null ? onlyMetric(objects) : column;
        Set<String> fieldsSeen = new TreeSet<>();
        int row = 0;
        for (JsonNode o : objects) {
            JsonNode fields = fields(o);
            fields.fieldNames().forEachRemaining(fieldsSeen::add);
            JsonNode v = chosen == null ? null : fields.get(chosen);
            if (v != null && v.isNumber()) {
                kept.add(row, lineNumbers.get(row), v.asDouble(),
                        o.path("run_at").isTextual() ? o.get("run_at").asText() : null,
                        o.path("id").isValueNode() ? o.get("id").asText() : null,
                        o.path("attempt").isValueNode() ? o.get("attempt").asText() : null);
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
        return kept.inTimeOrder(chosen);
    }

    /** Where a JSON line's metrics are: its {@code "metrics"} object when it has one (a result), else the line. */
    private static JsonNode fields(JsonNode line) {
        return line.has("metrics") && line.get("metrics").isObject() ? line.get("metrics") : line;
    }

    /**
     * The one numeric field of the lines that is neither benchmon's own ({@link #NOT_METRICS}) nor row numbers, or
     * {@code null} for none. Several are refused, naming them: a JSON object's fields have no order of the user's (a
     * benchmon export's metrics come in PostgreSQL's key order), so "the first" would be an arbitrary pick.
     */
    private static String onlyMetric(List<JsonNode> lines) {
        Set<String> numeric = new TreeSet<>();
        for (JsonNode o : lines) {
            boolean flat = fields(o) == o;
            fields(o).fields().forEachRemaining(e -> {
                if (e.getValue().isNumber() && !NOT_METRICS.contains(e.getKey()) && !(flat && CONTEXT.contains(e.getKey()))) {
                    numeric.add(e.getKey());
                }
            });
        }
        numeric.removeIf(f -> indexNamed(f) && numbersRows(lines.stream().map(o -> fields(o).path(f).asText("")).toList()));
        if (numeric.size() > 1) {
            throw problem("column", "the lines hold " + numeric.size() + " metrics " + numeric + "; name the one to "
                    + "search with --column");
        }
        return numeric.isEmpty() ? null : numeric.iterator().next();
    }

    /** Whether a column's name is one an index goes by ({@link #INDEX_NAMES}, any case): checked before its cells are split. */
    private static boolean indexNamed(String name) {
        return INDEX_NAMES.contains(name.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * Whether a column's cells number its rows: whole numbers (missing cells aside) that only rise or only fall. A
     * column is an index when its name is one ({@link #indexNamed}) and its cells number the rows.
     */
    private static boolean numbersRows(List<String> cells) {
        List<Long> numbers = new ArrayList<>();
        for (String cell : cells) {
            if (missing(cell)) {
                continue;
            }
            Long n = whole(cell);
            if (n == null) {
                return false;
            }
            numbers.add(n);
        }
        boolean rising = true;
        boolean falling = true;
        for (int i = 1; i < numbers.size(); i++) {
            rising &= numbers.get(i) > numbers.get(i - 1);
            falling &= numbers.get(i) < numbers.get(i - 1);
        }
        return numbers.size() > 1 && (rising || falling);
    }

    /**
     * Refuses a file of several series: each list holds one series field's value per row (empty where the file has
     * none), and change points of runs of different models or datasets mixed into one line are no finding.
     */
    private static void oneSeries(List<List<String>> fieldValues) {
        Set<String> series = new TreeSet<>();
        int rows = fieldValues.get(0).size();
        for (int r = 0; r < rows; r++) {
            String model = fieldValues.get(0).get(r);
            String prompt = fieldValues.get(2).get(r);
            String environment = fieldValues.get(3).get(r);
            // as push names a series: model / dataset[ / prompt] @environment
            series.add(model + " / " + fieldValues.get(1).get(r) + (prompt.isEmpty() ? "" : " / " + prompt)
                    + (environment.isEmpty() ? "" : " @" + environment));
        }
        if (series.size() > 1) {
            throw problem("file", "holds " + series.size() + " series (" + String.join("; ", series.stream().limit(3)
                    .toList()) + (series.size() > 3 ? "; ..." : "") + "), by their "
                    + String.join(", ", SERIES_FIELDS) + "; change points are searched in one: export one series "
                    + "(benchmon export history --model M --dataset D --environment E) or keep its rows only");
        }
    }

    /** Cell {@code col} of a CSV row, or {@code null} when the header has no such column or the row is short. */
    private static String cell(List<String> cells, int col) {
        return col >= 0 && col < cells.size() ? cells.get(col) : null;
    }

    /**
     * The values a reader keeps, in the file's order, each with the run_at, id and attempt {@link #inTimeOrder} sorts
     * them by: the CSV and the JSON Lines reader fill it alike.
     */
    private static final class Kept {
        private final List<Integer> rows = new ArrayList<>();
        private final List<Double> values = new ArrayList<>();
        private final List<String> runAts = new ArrayList<>();
        private final List<Long> ids = new ArrayList<>();
        private final List<Long> attempts = new ArrayList<>();
        private final List<Where> where = new ArrayList<>();

        /**
         * The value of 0-based data row {@code row}, on 1-based line {@code line} of the file, with its run_at, id and
         * attempt as written ({@code null} where the row has none).
         */
        void add(int row, int line, double value, String runAt, String id, String attempt) {
            Long idNumber = whole(id);
            rows.add(row);
            values.add(value);
            runAts.add(runAt);
            ids.add(idNumber);
            attempts.add(whole(attempt));
            where.add(new Where(row, line, written(runAt), idNumber));
        }

        /**
         * The values of {@code column} oldest first when every one has a readable run_at; ties by id, else attempt (when
         * every row has it), else in the file's order (a stable sort).
         */
        SeriesFile inTimeOrder(String column) {
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
                    java.util.Arrays.stream(order).mapToDouble(values::get).toArray(),
                    java.util.Arrays.stream(order).map(where::get).toList());
        }
    }

    /** Where the value of 0-based data row {@code row} is in the file ({@link ChangePoint#index()} is one). */
    public Where at(int row) {
        return where.stream().filter(w -> w.row() == row).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no value at row " + row));
    }

    /** A run_at cell as written, or {@code null} when absent or empty. */
    private static String written(String cell) {
        return cell == null || cell.isBlank() ? null : cell.trim();
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

    /** Whether a record is a blank line (one cell of nothing but spaces): skipped, as a blank line always was. */
    private static boolean blank(List<String> record) {
        return record.size() == 1 && record.get(0).isBlank();
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
