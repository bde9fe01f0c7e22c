package dev.benchmon.ingest;

import dev.benchmon.ValidationException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A small RFC 4180 reader, one row at a time: quoted fields, doubled quotes, line breaks inside quotes, CRLF; a
 * quote inside an unquoted field is text, as Python's csv module reads it. A quoted field still open at the end of
 * the input throws {@link ValidationException} naming the line it starts on. The one CSV reader of benchmon's own
 * CSV files: {@code import} and {@code push} read results with it, {@code changepoints} a series
 * ({@link dev.benchmon.detect.SeriesFile}), so a quoted cell spanning lines (a history export's notes) is one cell
 * to both, and each row knows the line it starts on.
 */
public final class CsvReader {
    private final Reader in;
    private int peeked = -2; // -2: nothing peeked
    private long line = 1; // the line the next character is on
    private long rowLine;

    /** Reads {@code in} (buffered here when it is not already), from its first line. */
    public CsvReader(Reader in) {
        this.in = in instanceof BufferedReader ? in : new BufferedReader(in);
    }

    /** The line (1-based) the row {@link #next()} returned last starts on: a quoted cell may span lines. */
    public long rowLine() {
        return rowLine;
    }

    /**
     * The next row, its cells as written (quotes taken off, doubled quotes single), or {@code null} at the end of the
     * input. A blank line is a row of one empty cell.
     *
     * @throws ValidationException       (field {@code line N}) for a quoted cell never closed
     * @throws java.io.UncheckedIOException when reading {@code in} fails (a malformed UTF-8 decoder's
     *                                   {@link java.nio.charset.CharacterCodingException} among them)
     */
    public List<String> next() {
        rowLine = line;
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        long quoteLine = 0;
        boolean fieldStart = true; // a quote opens a quoted field only as its first character (RFC 4180)
        boolean any = false;
        for (int ch = read(); ch != -1; ch = read()) {
            any = true;
            if (quoted) {
                if (ch == '"' && peek() == '"') {
                    field.append('"');
                    read();
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    if (ch == '\n' || ch == '\r' && peek() != '\n') {
                        line++;
                    }
                    field.append((char) ch);
                }
            } else if (ch == '"' && fieldStart) {
                quoted = true;
                quoteLine = line;
                fieldStart = false;
            } else if (ch == ',') {
                row.add(field.toString());
                field.setLength(0);
                fieldStart = true;
            } else if (ch == '\n' || ch == '\r') {
                if (ch == '\r' && peek() == '\n') {
                    read();
                }
                line++;
                row.add(field.toString());
                return row;
            } else {
                // Elsewhere a quote is text: an unquoted cell such as {"suite": "nightly"} (the tags as older
                // exports wrote them) reads as written.
                field.append((char) ch);
                fieldStart = false;
            }
        }
        if (!any) {
            return null;
        }
        if (quoted) {
            // Its cell took in the rest of the file: the cells read there would be misleading errors of their own.
            throw new ValidationException(ValidationException.Problem.of("line " + quoteLine, "the quoted cell "
                    + "starting on line " + quoteLine + " is never closed: it runs to the end of the file; end it with "
                    + "a quote (a quote inside a quoted cell is written twice: \"\")"));
        }
        row.add(field.toString());
        return row;
    }

    private int read() {
        if (peeked != -2) {
            int c = peeked;
            peeked = -2;
            return c;
        }
        try {
            return in.read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int peek() {
        if (peeked == -2) {
            peeked = read();
        }
        return peeked;
    }
}
