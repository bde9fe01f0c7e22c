package dev.benchmon.ingest.adapters;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import dev.benchmon.ValidationException;
import dev.benchmon.ValidationException.Problem;

import java.io.StringReader;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The runs tables the MLflow and W&amp;B UIs export as CSV: one row per run, the run's own columns (MLflow:
 * {@code Start Time, Duration, Run ID, Name, Source Type, User, Status, ...}; W&amp;B: {@code Name, State, Notes, User,
 * Tags, Created, Runtime, Sweep, ...}) beside its parameters and last metric values, with nothing telling them apart.
 * No format reads them: read as benchmon's own CSV, the hyperparameters ({@code learning_rate}, {@code batch_size})
 * became metrics. {@link #refusal} names the table and what to export instead; {@code auto}, {@code mlflow} and
 * {@code wandb} refuse with it.
 */
final class RunsTables {
    /**
     * What to do with a W&amp;B runs table instead, {@code %s} the way the caller names the wandb format; the wandb
     * format's refusal of input that is not JSON says the same.
     */
    static final String WANDB_INSTEAD = "download each run's summary (wandb.Api().run(PATH).file(\"wandb-summary.json\")"
            + ".download()) and read that with %s, or import the CSV as benchmon's own CSV with its Name column renamed "
            + "model_version and only metric columns besides";
    /** The W&amp;B runs table's own columns beside Name and State (lower case); a table has at least two. */
    private static final List<String> WANDB_OWN = List.of("notes", "user", "tags", "created", "runtime", "sweep");

    private RunsTables() {
    }

    /** The runs tables recognized, by the columns of their header row (lower case). */
    private enum Table {
        MLFLOW("an MLflow runs table (the CSV the MLflow UI exports: Start Time, Duration, Run ID, Status, ...)",
                "mlflow", "export each run as JSON (mlflow runs describe --run-id ID > run.json, or the REST API's "
                + "runs/get or runs/search) or the metric CSV of a run's chart, and read that with %s") {
            @Override
            boolean matches(List<String> columns) {
                return columns.containsAll(List.of("run id", "start time")) && (columns.contains("status")
                        || columns.contains("duration") || columns.contains("source type"));
            }
        },
        WANDB("a W&B runs table (the CSV the W&B UI exports: Name, State, Notes, User, Tags, Created, Runtime, Sweep, ...)",
                "wandb", WANDB_INSTEAD) {
            @Override
            boolean matches(List<String> columns) {
                return columns.containsAll(List.of("name", "state"))
                        && WANDB_OWN.stream().filter(columns::contains).count() >= 2;
            }
        };

        final String what;
        final String format;
        final String instead;

        Table(String what, String format, String instead) {
            this.what = what;
            this.format = format;
            this.instead = instead;
        }

        abstract boolean matches(List<String> columns);
    }

    /**
     * The refusal of {@code text} when its first line is the header of a runs table, as {@code caller} names formats:
     * {@code format: this is a W&B runs table (...), which no format reads: its parameters would be read as metrics;
     * download each run's summary (...) and read that with --format wandb, ...}. Empty for any other text.
     */
    static Optional<ValidationException> refusal(String text, Adapters.Caller caller) {
        List<String> columns = header(text);
        return Arrays.stream(Table.values()).filter(t -> t.matches(columns)).findFirst()
                .map(t -> new ValidationException(Problem.of("format", "this is " + t.what + ", which no format reads: "
                        + "its parameters would be read as metrics; " + String.format(Locale.ROOT, t.instead,
                        caller.naming(t.format)))));
    }

    /** The first line's cells, stripped and in lower case; none when the text does not start as CSV. */
    private static List<String> header(String text) {
        String start = text.stripLeading();
        if (start.isEmpty() || start.charAt(0) == '{' || start.charAt(0) == '[') {
            return List.of();
        }
        int end = start.indexOf('\n');
        String line = end < 0 ? start : start.substring(0, end);
        CsvParserSettings settings = new CsvParserSettings();
        settings.setMaxCharsPerColumn(100_000);
        settings.setMaxColumns(100_000);
        String[] cells = new CsvParser(settings).parseLine(line);
        return cells == null ? List.of() : Arrays.stream(cells).filter(Objects::nonNull)
                .map(c -> c.strip().toLowerCase(Locale.ROOT)).toList();
    }
}
