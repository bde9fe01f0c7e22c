package dev.benchmon.server.cli;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;

/**
 * Copies CSV text to a writer as it is read, counting its records on the way: records, not lines, since a quoted cell
 * may hold line breaks. Holds a buffer and one record at a time, whatever the length of the text.
 */
final class CsvCopy {
    private CsvCopy() {
    }

    /**
     * Copies {@code in} to {@code out} unchanged (neither flushed nor closed); returns the records after the header
     * (0 for none or no text).
     *
     * @throws IOException from {@code in} or {@code out}, as they threw it
     */
    static long copy(Reader in, Writer out) throws IOException {
        return copy(in, out, new java.util.ArrayList<>());
    }

    /** {@link #copy(Reader, Writer)}, adding the first record's cells (the header) to {@code header}. */
    static long copy(Reader in, Writer out, java.util.List<String> header) throws IOException {
        Tee tee = new Tee(in, out);
        CsvParserSettings settings = new CsvParserSettings();
        settings.setMaxCharsPerColumn(-1); // a row as long as the answer holds it
        settings.setMaxColumns(100_000);
        settings.setReadInputOnSeparateThread(false); // the copy is written as it is read, on this thread
        settings.setInputBufferSize(1 << 16); // chars read at a time (the default, 1M, is 2 MB of heap held throughout)
        settings.setCommentProcessingEnabled(false); // a record whose first cell starts with '#' is a record
        CsvParser parser = new CsvParser(settings);
        long records = 0; // a whole database's export (--all) may pass 2^31 records
        try {
            parser.beginParsing(tee);
            for (String[] record = parser.parseNext(); record != null; record = parser.parseNext()) {
                if (records == 0) {
                    for (String cell : record) {
                        header.add(cell == null ? "" : cell);
                    }
                }
                records++;
            }
            char[] rest = new char[8192];
            while (tee.read(rest, 0, rest.length) >= 0) { // whatever the parser left unread still goes out
                // copied by the read
            }
        } catch (RuntimeException e) {
            // The parser wraps its reader's failures: the reader's or the writer's own comes out as it was.
            if (tee.failure != null) {
                throw tee.failure;
            }
            throw e;
        } finally {
            parser.stopParsing();
        }
        return Math.max(0, records - 1);
    }

    /** Writes what it reads; keeps the first failure of either side. */
    private static final class Tee extends Reader {
        private final Reader in;
        private final Writer out;
        IOException failure;

        Tee(Reader in, Writer out) {
            this.in = in;
            this.out = out;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            try {
                int n = in.read(buffer, offset, length);
                if (n > 0) {
                    out.write(buffer, offset, n);
                }
                return n;
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                }
                throw e;
            }
        }

        @Override
        public void close() {
            // the caller closes the answer
        }
    }
}
