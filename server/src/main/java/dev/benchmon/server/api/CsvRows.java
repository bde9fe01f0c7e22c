package dev.benchmon.server.api;

import com.fasterxml.jackson.core.io.NumberOutput;
import com.univocity.parsers.csv.CsvWriter;
import dev.benchmon.query.InstantText;
import dev.benchmon.query.ResultStream;

import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * Writes a streamed result ({@link ResultStream}) as CSV ({@link TableResponses#csvSettings}) as the rows arrive: a
 * header row of the column names, then one line per row, times as {@link InstantText} writes them (at the stored
 * microseconds). The API's CSV answers and {@code benchmon export}'s CSV both write through it.
 */
public final class CsvRows implements ResultStream.Sink {
    /** How a metric's number is written. */
    public enum Numbers {
        /** As the API's JSON answer writes it: its text as stored ({@code 0.00000010}), else the double's shortest text. */
        AS_JSON,
        /**
         * As {@link Double#toString(double)} writes the double ({@code 1.0E-7}), as {@code benchmon export}'s CSV has
         * always written metrics (from a Tablesaw table's double column).
         */
        JAVA
    }

    private final Supplier<Writer> open;
    private final boolean guardFormulas;
    private final Numbers numbers;
    private final InstantText instants = new InstantText();
    private CsvWriter csv;
    private String[] cells;

    /**
     * {@code open} is called once, when the columns are known (an API answer's status and headers go out then);
     * {@code guardFormulas} guards the column names and text cells ({@link FormulaGuard#guard}); without it they are
     * written as stored but for the {@code '} {@link FormulaGuard#escape} adds, which import drops.
     */
    public CsvRows(Supplier<Writer> open, boolean guardFormulas, Numbers numbers) {
        this.open = open;
        this.guardFormulas = guardFormulas;
        this.numbers = numbers;
    }

    @Override
    public void columns(List<ResultStream.Column> columns) {
        csv = new CsvWriter(open.get(), TableResponses.csvSettings());
        // A metric's name heads its column: guarded as the text cells are.
        csv.writeHeaders(columns.stream().map(c -> text(c.name())).toArray(String[]::new));
        cells = new String[columns.size()];
    }

    @Override
    public void row(Object[] values) {
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            cells[i] = v == null ? null
                    : v instanceof String s ? text(s)
                    : v instanceof Instant t ? instants.toString(t)
                    : v instanceof Double d ? number(d)
                    : v instanceof ResultStream.NumberText number ? number(number)
                    : v.toString();
        }
        csv.writeRow((Object[]) cells);
    }

    /** Flushes and closes the writer, when the columns came (a query that failed before them wrote nothing). */
    public void finish() {
        if (csv != null) {
            csv.flush();
            csv.close();
        }
    }

    private String text(String s) {
        return guardFormulas ? FormulaGuard.guard(s) : FormulaGuard.escape(s);
    }

    private String number(double d) {
        return numbers == Numbers.AS_JSON ? NumberOutput.toString(d, true) : Double.toString(d);
    }

    private String number(ResultStream.NumberText number) {
        // AS_JSON: a metric's text as stored, as in JSON; JAVA: the double it reads as, as Java writes it.
        return numbers == Numbers.AS_JSON ? number.toString() : Double.toString(Double.parseDouble(number.toString()));
    }
}
