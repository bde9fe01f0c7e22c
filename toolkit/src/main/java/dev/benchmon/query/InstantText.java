package dev.benchmon.query;

import java.time.Instant;
import java.time.LocalDate;

/**
 * {@link Instant#toString()}'s text (ISO-8601 in UTC: seconds always, then milliseconds or microseconds when not
 * zero) for the instants rows hold (microseconds as stored, years 1970 to 9999), written into one reused array
 * without a {@code DateTimeFormatter}: two instants per row made 6% of a 1,000-row history's server time. The date
 * part is kept from the previous instant when both fall on the same day (the rows of a history mostly do), which
 * saves the calendar arithmetic (5% of that time). One instance per answer: it is not thread-safe.
 *
 * <p>The one writer of a result's times in every export: the server's streamed JSON and CSV answers, the CLI's CSV
 * export (both through {@link ResultStream}) and the JSON Lines export ({@link JsonLinesQuery}).
 */
public final class InstantText {
    /** 10000-01-01T00:00:00Z: from here on ISO-8601 needs more than four digits of year. */
    private static final long YEAR_10000 = 253_402_300_800L;
    private static final int SECONDS_PER_DAY = 86_400;

    /** The text of the last instant formatted, {@code chars[0, length)}. */
    private final char[] chars = new char[27];
    private long day = -1;

    /**
     * Writes {@code t}'s text into {@link #chars()} and returns its length, or -1 for an instant outside the fast range
     * (before 1970, from the year 10000 on, or with a fraction finer than microseconds): use {@code t.toString()}.
     */
    public int format(Instant t) {
        long seconds = t.getEpochSecond();
        int nanos = t.getNano();
        if (seconds < 0 || seconds >= YEAR_10000 || nanos % 1_000 != 0) {
            return -1;
        }
        long d = seconds / SECONDS_PER_DAY;
        if (d != day) {
            LocalDate date = LocalDate.ofEpochDay(d);
            digits(0, date.getYear(), 4);
            chars[4] = '-';
            digits(5, date.getMonthValue(), 2);
            chars[7] = '-';
            digits(8, date.getDayOfMonth(), 2);
            chars[10] = 'T';
            chars[13] = ':';
            chars[16] = ':';
            day = d;
        }
        int secondOfDay = (int) (seconds - d * SECONDS_PER_DAY);
        digits(11, secondOfDay / 3600, 2);
        digits(14, secondOfDay / 60 % 60, 2);
        digits(17, secondOfDay % 60, 2);
        if (nanos == 0) {
            chars[19] = 'Z';
            return 20;
        }
        chars[19] = '.';
        if (nanos % 1_000_000 == 0) {
            digits(20, nanos / 1_000_000, 3);
            chars[23] = 'Z';
            return 24;
        }
        digits(20, nanos / 1_000, 6);
        chars[26] = 'Z';
        return 27;
    }

    /**
     * The array {@link #format} writes into, {@code [0, length)} the text of the last instant formatted: read it
     * before the next call, never write it.
     */
    public char[] chars() {
        return chars;
    }

    /** {@code t}'s text as a String. */
    public String toString(Instant t) {
        int length = format(t);
        return length < 0 ? t.toString() : new String(chars, 0, length);
    }

    /** Appends {@code t}'s text to {@code out}. */
    public void appendTo(StringBuilder out, Instant t) {
        int length = format(t);
        if (length < 0) {
            out.append(t);
        } else {
            out.append(chars, 0, length);
        }
    }

    private void digits(int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            chars[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
