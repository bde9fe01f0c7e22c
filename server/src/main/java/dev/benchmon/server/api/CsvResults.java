package dev.benchmon.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.ResultPlace;
import dev.benchmon.ValidationException;
import dev.benchmon.ValidationException.Problem;
import dev.benchmon.ingest.CsvReader;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.ingest.ResultLines;
import dev.benchmon.ingest.TextRules;
import dev.benchmon.ingest.adapters.Adapters.Caller;
import dev.benchmon.ingest.adapters.ResultOverrides;
import dev.benchmon.query.MetricColumns;
import dev.benchmon.server.api.errors.ErrorDetail;

import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Results from CSV: a header row, then one result per row. Columns named like result fields
 * ({@code model_version}, {@code run_at}, ...) fill those fields; {@code tags} holds a JSON object
 * (or {@code k=v, k2=v2}) and {@code tag.K} columns add one tag each; {@code stderr}, {@code n} and
 * {@code metadata} hold JSON objects as in the JSON format (a metric named so is the column {@code metric:NAME});
 * {@code run_at_sent} holds {@code false} (or {@code true}, or nothing) as the JSON format's field;
 * {@code id}, {@code recorded_at},
 * {@code attempt} and the other columns benchmon adds on export are ignored; every other column is a
 * metric (empty cells are skipped). A cell or column name of {@code '}s before {@code = + - @}, a tab or a carriage
 * return loses one {@code '}: the formula guard export writes ({@link FormulaGuard}), so {@code '=SUM(1,2)} reads as
 * the model {@code =SUM(1,2)} and {@code ''=x} as {@code '=x}. So {@code benchmon export history} output, guarded or
 * {@code --raw}, imports back as it was, but for those: the export holds the latest attempt of each run only, and the database it goes
 * into numbers the attempts it is sent (a run sent once is attempt 1), as it numbers its own ids.
 * <p>
 * One reader for every way in: {@code benchmon push} and {@code import} of a {@code .csv} file (or {@code --format csv}),
 * and {@code POST /api/v1/results} with {@code Content-Type: text/csv} (or {@code ?format=csv}); each names how its
 * caller gives the series in its advice ({@link Caller}).
 */
public final class CsvResults {
    /**
     * The format name of benchmon's own CSV: {@code --format csv}, {@code ?format=csv}. Not one of the toolkit's
     * adapters' names ({@link dev.benchmon.ingest.adapters.Adapters#names()}): the reader is the server's.
     */
    public static final String FORMAT = "csv";


    private static final Set<String> TEXT_FIELDS = Set.of("model_version", "dataset_version", "prompt_version",
            "model_provider", "environment", "run_at", "commit_sha", "branch", "run_id", "triggered_by", "notes",
            "idempotency_key");
    /** Columns holding a JSON object, as the JSON format's field of the same name (what export writes there). */
    private static final Set<String> JSON_FIELDS = Set.of("stderr", "n", "metadata");
    /**
     * The column a history export marks a result of a CI run keyed without its run_at in ({@code false}: sent without
     * one, or a tool's file whose run_id the context gave; its run is keyed without the run_at the row holds), read as
     * the JSON format's boolean field of that name.
     */
    private static final String RUN_AT_SENT = "run_at_sent";
    private static final Set<String> IGNORED = Set.of("id", "recorded_at", "transaction_id", "run_count", "first_seen",
            "last_seen", "attempt");

    private CsvResults() {
    }

    /**
     * The rows as result objects (not yet validated), adding to {@code lines} the line each result's row starts on
     * (1-based, the header being line 1).
     *
     * @param overrides the series the caller gives every result ({@code --model-version}, {@code ?model_version=}
     *                  ...): a column they fill need not be in the header
     * @param caller    who reads, so that the refusal of a header names the series as that caller gives them
     * @throws ValidationException as {@link #stream}, for the header or a row
     */
    public static List<JsonNode> parse(String text, ResultOverrides overrides, Caller caller, List<Long> lines) {
        List<JsonNode> nodes = new ArrayList<>();
        Rows rows = stream(new StringReader(text), overrides, caller);
        while (rows.hasNext()) {
            nodes.add(rows.next());
            lines.add(rows.line());
        }
        return nodes;
    }

    /**
     * The rows of a CSV input as result objects (not yet validated), read one row at a time (constant
     * memory, for {@code benchmon import}); the first row names the columns.
     *
     * @param overrides the series the caller gives every result: {@code --model-version} names the model of a
     *                  file without a model_version column, as it does for JSON
     * @param caller    who reads: its refusal of a header without model_version names {@code --model-version} (the
     *                  CLI) or the {@code model_version} parameter (the API)
     * @throws ValidationException when the header does not name model_version (and no override gives it), or has two columns that fill the same
     *                             thing (a column named twice, or a metric as NAME and as metric:NAME); the iterator
     *                             throws it for a row with a value beyond the header's columns, naming the row's line
     */
    public static Rows stream(Reader in, ResultOverrides overrides, Caller caller) {
        CsvReader rows = new CsvReader(in);
        List<String> first = rows.next();
        if (first == null) {
            return new Rows() {
                @Override
                public long line() {
                    return 0;
                }

                @Override
                public Columns columns() {
                    return new Columns(List.of());
                }

                @Override
                public boolean hasNext() {
                    return false;
                }

                @Override
                public JsonNode next() {
                    throw new NoSuchElementException();
                }
            };
        }
        List<String> header = header(first);
        refuseSnapshots(header); // before the missing columns: their advice does not fit a snapshot
        if (!header.isEmpty() && JSON_START.matcher(header.get(0)).matches()) { // JSON first: its cells may hold tabs
            throw new ValidationException(ValidationException.Problem.of("format", readAsCsv(header.get(0), caller)));
        }
        String separator = otherSeparator(header); // before the missing columns, which the one column would not name
        if (separator != null) {
            throw new ValidationException(ValidationException.Problem.of("header", separator));
        }
        // A series column mistyped (dataset_verison) would be read as a metric, and every row refused for the column
        // it lacks, with no word of the one it has: the header is refused naming the rename. A header without
        // dataset_version at all is refused the same way, naming the option or parameter that gives it (each row was
        // refused as "column dataset_version: is required", a column that is not there).
        if (!header.contains("model_version") && overrides.modelVersion() == null
                || !header.contains("dataset_version") && overrides.datasetVersion() == null) {
            throw new ValidationException(ValidationException.Problem.of("header",
                    missingColumns(header, overrides, caller)));
        }
        checkOnce(header);
        return new Rows() {
            private List<String> row = advance();
            private long line;

            private final Columns columns = new Columns(header);

            @Override
            public long line() {
                return line;
            }

            @Override
            public Columns columns() {
                return columns;
            }

            private List<String> advance() {
                List<String> r;
                do {
                    r = rows.next();
                } while (r != null && r.size() == 1 && r.get(0).isBlank());
                if (r != null) {
                    checkWidth(r, header.size(), rows.rowLine());
                }
                return r;
            }

            @Override
            public boolean hasNext() {
                return row != null;
            }

            @Override
            public JsonNode next() {
                if (row == null) {
                    throw new NoSuchElementException();
                }
                ObjectNode o = ResultJson.mapper().createObjectNode();
                line = rows.rowLine();
                for (int c = 0; c < header.size() && c < row.size(); c++) {
                    put(o, header.get(c), FormulaGuard.unguard(row.get(c)), rows.rowLine());
                }
                row = advance();
                return o;
            }
        };
    }

    /**
     * A header read as one column because its columns are separated by something else than commas: the refusal that
     * says so and how to save the file, or {@code null}. Tabs (a TSV file, a table copied from a spreadsheet) in any
     * column name, whatever the overrides, since no name holds a tab (a control character; a metric {@code acc,none}
     * still splits such a header at its comma); {@code ';'} (a spreadsheet's CSV in a locale with decimal commas) when
     * the header is one column naming model_version or dataset_version, since a metric's name may hold a {@code ';'}.
     * Either way a missing column would be named whose name is right there in the header ({@code missing columns
     * model_version, dataset_version (found: model_version;dataset_version;f1)}), or, with {@code --model-version},
     * every row refused as a metric that is not a number.
     */
    private static String otherSeparator(List<String> header) {
        // A tab in one column of several (a quoted name holding a tab) is that name's fault, refused as such later:
        // tab-separated is a header read as one column, or one whose cells split at tabs name the series' columns.
        if (header.stream().anyMatch(column -> column.indexOf('\t') >= 0) && (header.size() == 1 || header.stream()
                .filter(column -> column.indexOf('\t') >= 0)
                .flatMap(column -> java.util.Arrays.stream(column.split("\t"))).map(String::trim)
                .anyMatch(name -> name.equals("model_version") || name.equals("dataset_version")))) {
            return "the columns are separated by tabs (a TSV file, or a table copied from a spreadsheet); benchmon "
                    + "reads comma-separated CSV: save the file as CSV, with ',' between columns (and a cell that holds "
                    + "a comma in double quotes)";
        }
        String only = header.size() == 1 ? header.get(0) : "";
        if (only.contains(";") && (only.contains("model_version") || only.contains("dataset_version"))) {
            return "the columns are separated by ';' (a spreadsheet's CSV for a locale with decimal commas); "
                    + "benchmon reads comma-separated CSV: save the file with ',' between columns and '.' in numbers";
        }
        return null;
    }

    /**
     * A first column that opens a JSON object or array, as a CSV reader cuts JSON into columns at its commas: {@code {},
     * {@code [}, {@code {}}, {@code []}, {@code {"model_version":"m"}, {@code [{"model_version":"m"}. No name of a column starts so but a
     * metric's such as {@code [x]}, which this does not match.
     */
    private static final java.util.regex.Pattern JSON_START = java.util.regex.Pattern.compile("[\\[{]\\s*(?:[\\[{\"\\]}].*)?",
            java.util.regex.Pattern.DOTALL);

    /**
     * Whether text read as CSV would start with a first column that opens a JSON object or array ({@link #JSON_START}:
     * {@code {"model_version": ...}}, {@code [{...}]}, {@code {}}), rather than a CSV header whose first metric is named
     * so ({@code [cls]_f1,model_version,...}). {@code text} starts at its first character after a byte order mark and
     * white space.
     */
    static boolean startsWithJson(String text) {
        int comma = text.indexOf(',');
        return JSON_START.matcher(comma < 0 ? text : text.substring(0, comma)).matches();
    }

    /**
     * The refusal of JSON read as CSV (a body sent as {@code text/csv} or with {@code format=csv}, a {@code .csv} file
     * or {@code --format csv}): what it is, and how the caller has it read as JSON. The CSV's own refusal would name
     * columns missing from a header that holds the JSON's first line cut at its commas.
     */
    private static String readAsCsv(String firstColumn, Caller caller) {
        return "this looks like JSON (it starts with '" + TextRules.quoted(firstColumn) + "'), which was read as CSV: "
                + (caller == Caller.API
                ? "send it with Content-Type: application/json (or application/x-ndjson for JSON Lines), without "
                + "format=csv, to read it as JSON"
                : "a file named *.csv, and any file with --format csv, is read as CSV; name a JSON file *.json (or "
                + "*.jsonl) and leave --format csv out to read it as JSON");
    }

    /**
     * Whether text read as JSON and refused looks like a CSV instead: a first line that no JSON starts with and that
     * holds a comma, such as the header {@code model_version,dataset_version,f1}. The refusal then says how to send it
     * as CSV ({@code --format csv}, {@code Content-Type: text/csv}) rather than where the JSON breaks.
     */
    public static boolean looksLikeCsv(String text) {
        String first = firstLine(text).strip();
        return first.indexOf(',') > 0 && first.charAt(0) != '{' && first.charAt(0) != '[';
    }

    /**
     * What a refusal of a CSV read as JSON says first, before how the caller sends CSV: {@code this looks like CSV (its
     * first line is 'model_version,f1'), which was read as JSON} (the line cut to 80 characters).
     */
    public static String readAsJson(String text) {
        String header = firstLine(text);
        return "this looks like CSV (its first line is '" + (header.length() > 80 ? header.substring(0, 77) + "..."
                : header) + "'), which was read as JSON";
    }

    /** The text's first line, without a byte-order mark or carriage return: a CSV's header. */
    private static String firstLine(String text) {
        String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
        int end = t.indexOf('\n');
        return (end < 0 ? t : t.substring(0, end)).replace("\r", "");
    }

    /** The results of a CSV, each knowing the line its row starts on. */
    public interface Rows extends Iterator<JsonNode>, ResultLines {
        /** The columns the header names: where a result's problem is in the CSV ({@link Columns#place}). */
        Columns columns();
    }

    /**
     * The columns {@code text}'s header names, as {@link #stream} reads them ({@code text} being a CSV it read): to place
     * the problems of the results {@link #parse} read from it. No columns for an empty text.
     */
    public static Columns columns(String text) {
        List<String> first = new CsvReader(new StringReader(text)).next();
        return new Columns(first == null ? List.of() : header(first));
    }

    /**
     * The header row's cells as column names. Trimming cannot change a metric name: names never start or end with
     * whitespace (TextRules); a byte-order mark before the first name was skipped as the file was read
     * (ByteOrderMark); a column name a spreadsheet would run as a formula (a metric "-loss") was exported as '-loss:
     * read back as named.
     */
    private static List<String> header(List<String> first) {
        return first.stream().map(String::trim).map(FormulaGuard::unguard).toList();
    }

    /**
     * The columns of a CSV's header, and the one place that says where a result's problem is in the CSV as its user
     * sees it: the line the result's row starts on and the column, by its header name, that fills the problem's field
     * ({@code line 2, column f1: "abc" is not a number; ...}), not the field's JSON path ({@code result 1,
     * results[0].metrics: ...}), which names nothing a CSV shows. push, import and {@code POST /api/v1/results} word a
     * CSV's refusal with it.
     */
    public static final class Columns {
        private final List<String> header;

        private Columns(List<String> header) {
            this.header = header;
        }

        /**
         * {@code problem}, a result's (its field a JSON path: {@code dataset_version}, {@code metrics.f1},
         * {@code tags.seed}), placed in the CSV: on {@code line}, at the column that fills its field. A result left
         * without a number ({@code metrics: has no finite metric left once these were dropped: ...}) is a problem of
         * each metric cell that is not a number, named by its column; a field no column fills ({@code metrics: must
         * hold at least one metric}) is placed on the line alone; a result field the header lacks
         * ({@code dataset_version: is required}) is named as the column it needs.
         *
         * @param row  the result object the row was read as (overrides and context applied)
         * @param line the line the row starts on
         */
        public List<Cell> place(Problem problem, JsonNode row, long line) {
            JsonNode metrics = row == null ? null : row.get("metrics");
            if (problem.field().equals("metrics") && metrics != null && metrics.isObject() && !metrics.isEmpty()) {
                List<Cell> cells = new ArrayList<>();
                metrics.fields().forEachRemaining(m -> {
                    String why = ResultJson.droppedWhy(m.getValue());
                    String field = ResultPlace.key("metrics", m.getKey());
                    if (why != null) {
                        cells.add(cell(problem.index(), line, field, why + "; " + ResultJson.NEEDS_A_NUMBER));
                    }
                });
                if (cells.size() == metrics.size()) { // not one number: the row's own problem, cell by cell
                    return cells;
                }
            }
            return List.of(cell(problem.index(), line, problem.field(), problem.message()));
        }

        /**
         * The cell of {@code field}: in the column whose target it is ({@code tag.seed} for {@code tags.seed}), else in
         * the column holding the JSON object it is in, under its key there ({@code tags} and {@code seed} for
         * {@code tags.seed}, {@code stderr} and {@code f1} for {@code stderr.f1}); a result field no column fills is
         * named as its own column; else no column.
         */
        private Cell cell(Integer index, long line, String field, String message) {
            for (String column : header) {
                if (field.equals(target(column))) {
                    return new Cell(index, line, column, null, field, message);
                }
            }
            for (String column : header) {
                String target = target(column);
                if (target != null && field.startsWith(target + ".")) {
                    return new Cell(index, line, column, field.substring(target.length() + 1), field, message);
                }
            }
            boolean resultField = TEXT_FIELDS.contains(field) || JSON_FIELDS.contains(field) || field.equals("tags");
            return new Cell(index, line, resultField ? field : null, null, field, message);
        }
    }

    /**
     * A result's problem as it is in a CSV ({@link Columns#place}).
     *
     * @param index   the result's position among the CSV's results (0-based), or {@code null}
     * @param line    the line its row starts on
     * @param column  the column, by its header name, or {@code null} when no column holds the field
     * @param key     the key in the column's JSON object ({@code b} of a {@code tags} cell), or {@code null}
     * @param field   the result's field at fault ({@code metrics.f1}), as the JSON format names it
     * @param message what is wrong
     */
    public record Cell(Integer index, long line, String column, String key, String field, String message) {
        /** {@code line 2, column f1}, {@code line 2, column tags, key b}, or {@code line 2} without a column. */
        public String where() {
            // No column fills the field (a metric name too long to match its cut field, "metrics" itself): the field.
            return "line " + line + (column != null ? ", column " + ResultPlace.name(column) : field.isEmpty() ? "" : ", " + field)
                    + (key == null ? "" : ", key " + key);
        }

        /** As a refusal lists it: {@code line 2, column f1: "abc" is not a number; ...} (the line finds the row). */
        public Problem problem() {
            return Problem.of(where(), message);
        }

        /**
         * As the API's error body names it: at the result's index, its field the column (the result's field where no
         * column holds it), its message placed as {@link #problem()} is.
         */
        public ErrorDetail detail() {
            return new ErrorDetail(index, column == null ? field : column, where() + ": " + message);
        }
    }

    /** The columns only a snapshot export ({@code export snapshots}, the API's and the dashboard's) has. */
    private static final List<String> SNAPSHOT_COLUMNS = List.of("run_count", "first_seen", "last_seen");
    /**
     * The columns only the dashboard's "Download CSV" of the snapshot ({@code /snapshot.csv}, SnapshotTable's headers:
     * {@code Model,Dataset,Prompt,Environment,<metrics>,Last run (UTC),Runs,Commit,Run}) has. Read before the
     * missing-column check: its advice (rename {@code Model} to model_version) stored a wrong copy, environment
     * {@code local} and the {@code Runs} column a metric.
     */
    private static final List<String> DASHBOARD_SNAPSHOT_COLUMNS = List.of("Last run (UTC)", "Runs");

    /**
     * Refuses a snapshot export: it holds the latest result of each series without its idempotency key or
     * triggered_by, so each row would be stored again beside the result it copies (a second run with the same run_at
     * and values) instead of being recognised as already present. The problem is the file's as a whole (field
     * {@code body}, as for text that is not JSON), not a result's field to fix: the refusal ends with its own next step,
     * not with how to fix fields (which it did: "each result needs model_version, dataset_version and a metrics object").
     */
    private static void refuseSnapshots(List<String> header) {
        if (header.containsAll(SNAPSHOT_COLUMNS)) {
            throw snapshot("a snapshot export (columns " + String.join(", ", SNAPSHOT_COLUMNS) + ")");
        }
        if (header.containsAll(DASHBOARD_SNAPSHOT_COLUMNS)) {
            throw snapshot("the dashboard's snapshot CSV (columns " + String.join(", ", DASHBOARD_SNAPSHOT_COLUMNS) + ")");
        }
    }

    private static ValidationException snapshot(String what) {
        return new ValidationException(ValidationException.Problem.of("body", "this is " + what + ": it holds the "
                + "latest result of each series without its idempotency key, so its rows would be stored again beside "
                + "the results they copy; export history --raw (or --format jsonl) to copy results: benchmon export "
                + "history --raw -o results.csv, then import results.csv"));
    }

    /** Columns benchmon does not read that most often mean one it does: renaming them is the fix. */
    private static final Map<String, String> RENAMES = Map.of("model", "model_version", "dataset", "dataset_version",
            "timestamp", "run_at", "date", "run_at", "datetime", "run_at");

    /**
     * Why a header without model_version is refused: the series columns it lacks, the columns it has, and the renames
     * that would fix it ({@code model} to model_version, {@code timestamp} or {@code date} to run_at).
     */
    private static String missingColumns(List<String> header, ResultOverrides overrides, Caller caller) {
        List<String> missing = new ArrayList<>();
        if (!header.contains("model_version") && overrides.modelVersion() == null) {
            missing.add("model_version");
        }
        if (!header.contains("dataset_version") && overrides.datasetVersion() == null) {
            missing.add("dataset_version");
        }
        List<String> renames = new ArrayList<>();
        for (String column : header) {
            String meant = RENAMES.get(column.toLowerCase(Locale.ROOT));
            if (meant == null) { // else a missing column typed with a letter wrong, left out, added or two swapped
                meant = missing.stream().filter(field -> standsFor(column, field))
                        .findFirst().orElse(null);
            }
            if (meant != null && !header.contains(meant)) {
                renames.add("'" + column + "' to " + meant);
            }
        }
        return String.format(Locale.ROOT, "missing column%s %s (found: %s); the first row names the columns: every row "
                        + "needs model_version and dataset_version (or %s), and the other columns are metrics or "
                        + "result fields%s", missing.size() == 1 ? "" : "s",
                String.join(", ", missing), header.isEmpty() ? "none" : String.join(", ", header.stream()
                        .map(c -> c.isEmpty() ? "(empty)" : c).toList()),
                caller == Caller.API ? "the model_version and dataset_version parameters"
                        : "--model-version and --dataset-version",
                renames.isEmpty() ? "" : "; rename " + String.join(", ", renames));
    }

    /**
     * Whether header column {@code column} stands for {@code field}: one of the usual other names of it ({@code dataset}
     * for dataset_version) or {@code field} mistyped ({@code dataset_verison}: at most one letter in three wrong, left
     * out, added or two swapped, as {@link dev.benchmon.ingest.ClosestNames} decides).
     */
    private static boolean standsFor(String column, String field) {
        String renamed = RENAMES.get(column.toLowerCase(Locale.ROOT));
        return field.equals(renamed) || renamed == null && !column.equals(field)
                && !dev.benchmon.ingest.ClosestNames.closest(column, List.of(field)).isEmpty();
    }

    /**
     * Refuses a header in which two columns fill the same thing: in every row the second column's value would
     * silently replace the first's.
     */
    private static void checkOnce(List<String> header) {
        Map<String, Integer> seen = new HashMap<>();
        for (int c = 0; c < header.size(); c++) {
            String target = target(header.get(c));
            Integer before = target == null ? null : seen.putIfAbsent(target, c);
            if (before == null) {
                continue;
            }
            String first = header.get(before);
            String second = header.get(c);
            throw new ValidationException(ValidationException.Problem.of("header", first.equals(second)
                    ? String.format(Locale.ROOT, "column '%s' is named twice (columns %d and %d); name each column once",
                    first, before + 1, c + 1)
                    : String.format(Locale.ROOT, "columns '%s' (column %d) and '%s' (column %d) both hold %s; keep one",
                    first, before + 1, second, c + 1, target)));
        }
    }

    /**
     * Refuses a row with a value beyond the header's columns: it belongs to no column, and most often means a cell
     * holding a comma was not quoted, which shifts every cell after it. Empty cells there (a trailing comma) lose
     * nothing and pass.
     */
    private static void checkWidth(List<String> row, int columns, long line) {
        for (int c = columns; c < row.size(); c++) {
            if (!row.get(c).isBlank()) {
                throw new ValidationException(ValidationException.Problem.of("line " + line, String.format(Locale.ROOT,
                        "%d cells, but the header names %d columns; quote a cell that holds a comma", row.size(), columns)));
            }
        }
    }

    /**
     * What a column fills in a result: its field ({@code run_at}, {@code tags}), {@code tags.K} or
     * {@code metrics.NAME}; {@code null} for a column benchmon ignores.
     */
    private static String target(String column) {
        if (IGNORED.contains(column)) {
            return null;
        }
        if (TEXT_FIELDS.contains(column) || JSON_FIELDS.contains(column) || column.equals("tags")
                || column.equals(RUN_AT_SENT)) {
            return column;
        }
        if (column.startsWith("tag.")) {
            return "tags." + column.substring(4);
        }
        // A metric named like a fixed column was exported as metric:NAME (MetricColumns): read it back as NAME.
        return "metrics." + MetricColumns.metricName(column);
    }

    private static void put(ObjectNode o, String column, String value, long line) {
        String target = target(column);
        if (value.isEmpty() || target == null) {
            return;
        }
        if (TEXT_FIELDS.contains(target)) {
            o.put(target, value);
        } else if (target.equals(RUN_AT_SENT)) {
            String word = value.trim().toLowerCase(Locale.ROOT);
            if (word.equals("true") || word.equals("false")) {
                o.put(target, Boolean.parseBoolean(word));
            } else {
                o.put(target, value); // refused by the reader, naming the field: must be true or false
            }
        } else if (JSON_FIELDS.contains(target)) {
            o.set(target, jsonObject(target, value, line));
        } else if (target.equals("tags")) {
            tags(o, value);
        } else if (target.startsWith("tags.")) {
            o.with("tags").put(target.substring("tags.".length()), value);
        } else {
            String metric = target.substring("metrics.".length());
            String number = value.trim();
            try {
                double d = Double.parseDouble(number);
                if (Double.isInfinite(d) && !number.endsWith("Infinity")) {
                    // A number beyond double range (1e400): kept exact, so that it is refused as too large, as in JSON
                    o.with("metrics").put(metric, new BigDecimal(number));
                } else {
                    o.with("metrics").put(metric, d);
                }
            } catch (NumberFormatException e) {
                o.with("metrics").put(metric, value); // the reader names it: dropped with a warning, or refused
            }
        }
    }

    /**
     * A {@code stderr}, {@code n} or {@code metadata} cell: a JSON object, checked further as the JSON format's field.
     * Anything else is refused rather than read as a metric: before export wrote these columns, a metric named so had
     * its column under its own name, and a number there read as {@code n} for every metric would change the result.
     */
    private static JsonNode jsonObject(String column, String value, long line) {
        try {
            JsonNode node = ResultJson.readTree(value);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (JsonProcessingException e) {
            // refused below
        }
        throw new ValidationException(ValidationException.Problem.of("line " + line, String.format(Locale.ROOT,
                "column '%s' must hold a JSON object, as benchmon export writes it (%s), got '%s'; a metric named %s "
                        + "is the column metric:%s", column, column.equals("metadata") ? "{\"lr\": 0.001}" : "{\"f1\": "
                        + (column.equals("n") ? "200" : "0.012") + "}", TextRules.quoted(value), column, column)));
    }

    /**
     * A {@code tags} cell: the JSON object {@code export history --raw} writes ({@code {"k,x": "v w"}}), read back
     * exactly; else {@code k=v, k2=v2} as older raw exports and the display CSVs write it, split at commas and each
     * pair's first '=' (so a key or value holding either cannot be read from that form).
     */
    private static void tags(ObjectNode o, String value) {
        if (value.startsWith("{")) {
            try {
                // Read as a result's tags are, so that a number in them is named as written ("1e3", not 1000.0)
                JsonNode tags = ResultJson.readTags(value);
                if (tags.isObject()) {
                    o.with("tags").setAll((ObjectNode) tags);
                    return;
                }
            } catch (JsonProcessingException e) {
                // not JSON: pairs whose first key starts with '{'
            }
        }
        for (String pair : value.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                o.with("tags").put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
    }
}
