package dev.benchmon.ingest;

import java.io.IOException;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;

/**
 * The UTF-8 byte-order mark (U+FEFF) that some programs write at the start of a text file: Excel's "CSV UTF-8",
 * Windows PowerShell 5 ({@code Out-File -Encoding utf8}, {@code Set-Content}), older Notepad. It is not part of the
 * content, but a JSON parser reads it as an unexpected character and a CSV header as part of the first column's name.
 * Every input benchmon reads (a file of {@code push} and {@code import}, the body of {@code POST /api/v1/results},
 * {@code BenchmarkResult.from} and {@code Benchmon.recordFile}) skips it here, whatever its format.
 */
public final class ByteOrderMark {
    /** The byte-order mark as a character, as decoding UTF-8 (EF BB BF) gives it. */
    public static final char MARK = '\uFEFF';

    private ByteOrderMark() {
    }

    /** {@code text} without a leading byte-order mark ({@code null} stays {@code null}). */
    public static String skip(String text) {
        return text != null && !text.isEmpty() && text.charAt(0) == MARK ? text.substring(1) : text;
    }

    /** {@code in} positioned after a leading byte-order mark, if it starts with one; reading from it reads the content. */
    public static Reader skip(Reader in) {
        PushbackReader reader = new PushbackReader(in, 1);
        try {
            int first = reader.read();
            if (first != -1 && first != MARK) {
                reader.unread(first);
            }
            return reader;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
