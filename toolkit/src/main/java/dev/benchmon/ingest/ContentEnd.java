package dev.benchmon.ingest;

import com.fasterxml.jackson.core.JsonLocation;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/**
 * Where the content of a JSON text ends: just after its last character that is not JSON white space (space, tab,
 * line feed, carriage return), in lines and columns as Jackson counts them (a line feed, a carriage return, or the
 * two together end a line; a column is a count of chars). JSON that ends too soon (an object or array not closed, a
 * string cut off) is refused where the parser met the end of the text, which is after the white space that follows
 * the content: a one-line object whose closing brace is missing was placed on line 2, column 1, because of the line
 * break an editor ends a file with (and further down after blank lines). Its writer looks for the end on the last line
 * holding something, so the problem is placed there ({@link #after}). A text that ends inside a string (or field
 * name) ends with that string's own characters: its spaces are content, and the problem is placed after them (no line
 * break or tab can follow, as the parser refuses one unescaped in a string before it meets the end).
 *
 * <p>Of a whole text ({@link #of}), or of what a parser reads through {@link #reader}: a few numbers, whatever the
 * length; each read is scanned once for where strings open and close, and looked at from its end back to its last
 * line break.
 */
final class ContentEnd {
    private boolean content;     // a character that is not white space was seen
    private int trailingBreaks;  // line breaks after the last such character (a CR LF one)
    private boolean lastWasCr;   // the last character seen was a carriage return (a LF next ends no second line)
    private int contentColumn;   // the column just after the last such character (1-based)
    private long sinceBreak;     // characters seen since the last line break
    private boolean inString;    // the characters seen end inside a string (or field name)
    private boolean escaped;     // ... just after its backslash, so that the next character closes nothing

    /** The content end of {@code text}. */
    static ContentEnd of(String text) {
        ContentEnd end = new ContentEnd();
        char[] chars = text.toCharArray();
        end.see(chars, 0, chars.length);
        return end;
    }

    /** {@code in}, noting the content end of what is read through it in this object. */
    Reader reader(Reader in) {
        return new FilterReader(in) {
            @Override
            public int read() throws IOException {
                char[] one = new char[1];
                return read(one, 0, 1) < 0 ? -1 : one[0];
            }

            @Override
            public int read(char[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    see(buffer, offset, offset + n);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                char[] skipped = new char[(int) Math.min(n, 8192)];
                int read = read(skipped, 0, skipped.length);
                return Math.max(read, 0);
            }
        };
    }

    /**
     * Where the content ends, given {@code end}, where the parser met the end of the text (a
     * {@link com.fasterxml.jackson.core.io.JsonEOFException}'s location): on the line of the last character that is
     * not white space, just after it. {@code end} itself when the text holds nothing but white space or no place is
     * known.
     */
    JsonLocation after(JsonLocation end) {
        if (!content || end == null || end.getLineNr() - trailingBreaks < 1) {
            return end;
        }
        return new JsonLocation(end.contentReference(), -1L, -1L, end.getLineNr() - trailingBreaks, contentColumn);
    }

    private void see(char[] c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (escaped) {
                escaped = false;
            } else if (inString && c[i] == '\\') {
                escaped = true;
            } else if (c[i] == '"') {
                inString = !inString;
            }
        }
        int last = to - 1;
        // Inside a string, white space is the string's own: the content goes on to the end of what was read.
        while (!inString && last >= from && isWhiteSpace(c[last])) {
            last--;
        }
        int trailingFrom = from;
        if (last >= from) {
            int lineBreak = last; // the line break before the last character of content, if this read holds it
            while (lineBreak >= from && !isLineBreak(c[lineBreak])) {
                lineBreak--;
            }
            contentColumn = (int) ((lineBreak >= from ? last - lineBreak : sinceBreak + last - from + 1) + 1);
            content = true;
            trailingBreaks = 0;
            lastWasCr = false;
            trailingFrom = last + 1;
        }
        for (int i = trailingFrom; i < to; i++) {
            if (c[i] == '\r' || c[i] == '\n' && !lastWasCr) {
                trailingBreaks++;
            }
            lastWasCr = c[i] == '\r';
        }
        int lineBreak = to - 1;
        while (lineBreak >= from && !isLineBreak(c[lineBreak])) {
            lineBreak--;
        }
        sinceBreak = lineBreak >= from ? to - 1 - lineBreak : sinceBreak + (to - from);
    }

    private static boolean isWhiteSpace(char c) {
        return c == ' ' || c == '\t' || isLineBreak(c);
    }

    private static boolean isLineBreak(char c) {
        return c == '\n' || c == '\r';
    }
}
