package dev.benchmon.ingest;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads points in time as ML tools write them, for {@code run_at} and the {@code since}/{@code until}
 * parameters. Accepted forms ({@link #FORMS}):
 * <ul>
 *   <li>ISO-8601 date-time with a zone: {@code 2026-01-31T12:00:00Z}, {@code +01:00}, {@code +0100} or
 *       {@code +01} (a space may stand for the {@code T}, fractions of a second up to nanoseconds; {@code t} and
 *       {@code z} in lower case are {@code T} and {@code Z}, as RFC 3339 section 5.6 allows). A leap second, second
 *       60 of the last minute of a UTC day ({@code 2016-12-31T23:59:60Z}, {@code 2016-12-31T15:59:60-08:00}), is
 *       read as second 59 of that minute with its fraction ({@code 23:59:60.5Z} is {@code 23:59:59.500Z}), as
 *       {@link java.time.format.DateTimeFormatter#ISO_INSTANT} reads a parsed leap second: an {@link Instant}, like a
 *       {@code timestamptz}, has no 61st second. Second 60 of any other minute is refused;</li>
 *   <li>a date-time or a date without a zone ({@code 2022-11-26 03:43:13}, {@code 2026-01-31}): read as
 *       UTC and marked {@link Parsed#zoneless()} so that the caller can warn;</li>
 *   <li>Unix epoch seconds or milliseconds, as a number or a numeric string, told apart by magnitude:
 *       below 10<sup>11</sup> is seconds ({@code 1700000000}, as lm-evaluation-harness writes
 *       {@code date}; 10<sup>11</sup> s would be the year 5138), from 10<sup>11</sup> to below
 *       10<sup>14</sup> is milliseconds ({@code 1700000000000}, as MLflow and W&amp;B write). The number is
 *       read in decimal, exactly (a fraction below a nanosecond is cut), so a far-off number means its own far-off
 *       instant, which the validator then refuses naming it.</li>
 * </ul>
 * Years are four digits (0000-9999), which keeps every accepted value inside PostgreSQL's
 * {@code timestamptz} range.
 */
public final class Timestamps {
    /** The accepted forms, for error messages. */
    public static final String FORMS = "ISO-8601 with a zone (2026-01-31T12:00:00Z, 2026-01-31T13:00:00+01:00, "
            + "+0100), a date-time or date without a zone (read as UTC), or Unix epoch seconds or milliseconds "
            + "(1700000000, 1700000000000)";

    private static final Pattern ISO = Pattern.compile(
            "(\\d{4})-(\\d{2})-(\\d{2})(?:[Tt ](\\d{2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9}))?)?)?"
                    + "(Z|z|[+-]\\d{2}(?::?\\d{2})?)?");
    /** The last instant the {@link #FORMS} reach (their years end at 9999), to the microsecond a column keeps. */
    private static final Instant LAST_INSTANT = Instant.parse("9999-12-31T23:59:59.999999Z");
    /** The second-of-minute of a leap second (RFC 3339 section 5.7), which {@link #parse} reads as second 59. */
    private static final int LEAP_SECOND = 60;
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern EPOCH = Pattern.compile("-?\\d{1,20}(?:\\.\\d{1,9})?");
    private static final BigDecimal SECONDS_BELOW = new BigDecimal("1e11");
    private static final BigDecimal MILLIS_BELOW = new BigDecimal("1e14");

    private Timestamps() {
    }

    /**
     * A point in time read from input.
     *
     * @param instant  the instant
     * @param zoneless {@code true} when the text named no zone and was read as UTC
     */
    public record Parsed(Instant instant, boolean zoneless) {
    }

    /**
     * {@code instant} as a {@code timestamptz} column holds it: rounded to the nearest microsecond, halves up (as the
     * JDBC driver sends it). An answer that names a value just stored answers this, so it agrees with what a later
     * read lists (2026-12-08T03:46:55.698353850Z is stored and listed as 2026-12-08T03:46:55.698354Z).
     */
    public static Instant asStored(Instant instant) {
        return instant.plusNanos(500).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    /**
     * The start of a range given as text in one of the {@link #FORMS} (the API's {@code since}, the dashboard's
     * {@code from}): its instant. A negative number ({@code -1}) is refused: read as epoch seconds it is a time before
     * 1970, before any result (a run_at is never before 1970), so that {@code since=-1} was every result, while whoever
     * typed it meant a time ago.
     *
     * @throws IllegalArgumentException as {@link #parse}, and for a negative number
     */
    public static Instant rangeStart(String text) {
        return notNegative(text, parse(text).instant());
    }

    /**
     * The end of a range given as text in one of the {@link #FORMS}, exclusive: a date alone ({@code 2026-11-30}) is
     * the whole of that day, so the end is the next day's midnight UTC, as a calendar's "to" date (the dashboard's
     * custom range reads its end date so); anything else is its instant. {@code since=D&until=D} is then day D. A
     * negative number is refused, as by {@link #rangeStart}.
     *
     * @throws IllegalArgumentException as {@link #parse}, and for a negative number
     */
    public static Instant rangeEnd(String text) {
        Parsed parsed = parse(text);
        if (!isDateAlone(text)) {
            return notNegative(text, parsed.instant());
        }
        // 9999-12-31, the last date of the FORMS, ends at the range's last microsecond: its next midnight is year 10000.
        Instant end = parsed.instant().plus(java.time.Duration.ofDays(1));
        return end.isAfter(LAST_INSTANT) ? LAST_INSTANT : end;
    }

    /** {@code at}, read from {@code text}, unless {@code text} is a negative number (no other form starts with '-'; -0 is 0). */
    private static Instant notNegative(String text, Instant at) {
        if (text.startsWith("-") && at.isBefore(Instant.EPOCH)) { // -0 is 0, 1970-01-01T00:00:00Z
            throw new IllegalArgumentException("'" + TextRules.quoted(text) + "' is a negative number, epoch seconds "
                    + "before 1970 (" + at + ") and so before any result, not a time ago; give a date-time such as "
                    + "2026-01-31");
        }
        return at;
    }

    /** Whether {@code text} is a date alone ({@code 2026-11-30}), which {@link #rangeEnd} reads as the whole day. */
    static boolean isDateAlone(String text) {
        return DATE.matcher(text).matches();
    }

    /**
     * Parses text in one of the {@link #FORMS}.
     *
     * @throws IllegalArgumentException naming the value and the accepted forms
     */
    public static Parsed parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("is missing; use " + FORMS);
        }
        Matcher m = ISO.matcher(text);
        if (m.matches()) {
            return iso(text, m);
        }
        if (EPOCH.matcher(text).matches()) {
            return epoch(new BigDecimal(text), text);
        }
        throw new IllegalArgumentException("'" + TextRules.quoted(text) + "' is not a date-time; use " + FORMS);
    }

    /**
     * Epoch seconds or milliseconds given as a JSON number, read as its decimal value: a double's
     * {@code 1e10 * 1e9} nanoseconds overflowed a long and {@code 20146744073} (the year 2608) came out as 2023.
     */
    public static Parsed fromEpochNumber(JsonNode number) {
        if (!number.isNumber() || number.isFloatingPointNumber() && !Double.isFinite(number.doubleValue())) {
            throw new IllegalArgumentException(number.asText() + " is not a date-time; use " + FORMS);
        }
        return epoch(number.decimalValue(), number.asText());
    }

    /**
     * Epoch seconds or milliseconds given as the decimal a file wrote, told apart by magnitude as for a numeric run_at
     * ({@link #FORMS}): for a tool's own time field read where its format is known (lm-evaluation-harness
     * {@code date}, W&amp;B {@code _timestamp}), so that it follows the same rule. A fraction below a nanosecond is cut.
     *
     * @param text the value as the error names it
     * @throws IllegalArgumentException from 10<sup>14</sup> on, naming {@code text} and the accepted forms
     */
    public static Instant fromEpochDecimal(BigDecimal value, String text) {
        return epoch(value, text).instant();
    }

    private static Parsed epoch(BigDecimal value, String text) {
        BigDecimal magnitude = value.abs();
        if (magnitude.compareTo(SECONDS_BELOW) < 0) {
            return new Parsed(epochSeconds(value), false);
        }
        if (magnitude.compareTo(MILLIS_BELOW) < 0) {
            return new Parsed(epochSeconds(value.movePointLeft(3)), false);
        }
        throw new IllegalArgumentException("'" + TextRules.quoted(text) + "' is out of range: epoch seconds are below 1e11 and "
                + "epoch milliseconds below 1e14 (microseconds and nanoseconds are not read); use " + FORMS);
    }

    /**
     * The instant {@code seconds} after 1970-01-01T00:00:00Z, exactly: whole seconds and the fraction are taken
     * apart in decimal (a count of nanoseconds overflows a long after 2262, a double rounds), a fraction below a
     * nanosecond is cut.
     *
     * @throws IllegalArgumentException beyond {@link Instant}'s range (about a billion years either way)
     */
    public static Instant epochSeconds(BigDecimal seconds) {
        BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
        try {
            return Instant.ofEpochSecond(whole.longValueExact(),
                    seconds.subtract(whole).movePointRight(9).setScale(0, RoundingMode.FLOOR).longValueExact());
        } catch (ArithmeticException | DateTimeException e) {
            throw new IllegalArgumentException(seconds.stripTrailingZeros() + " epoch seconds is out of range: "
                    + "no date is that far from 1970 (at most a billion years)");
        }
    }

    private static Parsed iso(String text, Matcher m) {
        try {
            LocalDate date = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)));
            LocalTime time = LocalTime.MIDNIGHT;
            int second = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
            boolean leapSecond = second == LEAP_SECOND;
            if (m.group(4) != null) {
                String fraction = m.group(7) == null ? "0" : (m.group(7) + "00000000").substring(0, 9);
                time = LocalTime.of(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                        leapSecond ? LEAP_SECOND - 1 : second, Integer.parseInt(fraction));
            }
            LocalDateTime local = LocalDateTime.of(date, time);
            String zone = m.group(8);
            Parsed parsed = zone == null ? new Parsed(local.toInstant(ZoneOffset.UTC), true)
                    : new Parsed(local.toInstant(offset(zone)), false);
            if (leapSecond && !lastSecondOfUtcDay(parsed.instant())) {
                throw new IllegalArgumentException("'" + TextRules.quoted(text) + "' is not a valid date-time (second "
                        + "60 is a leap second, which comes only at the end of a UTC day: 23:59:60Z, or 15:59:60-08:00 "
                        + "in a zone 8 hours behind); use " + FORMS);
            }
            return parsed;
        } catch (DateTimeException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + TextRules.quoted(text) + "' is not a valid date-time ("
                    + e.getMessage() + "); use " + FORMS);
        }
    }

    /** Whether {@code instant} is in 23:59:59 UTC of its day, the second a leap second is read as. */
    private static boolean lastSecondOfUtcDay(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC).toLocalTime().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .equals(LocalTime.of(23, 59, 59));
    }

    private static ZoneOffset offset(String zone) {
        if (zone.equalsIgnoreCase("Z")) {
            return ZoneOffset.UTC;
        }
        String digits = zone.substring(1).replace(":", "");
        int hours = Integer.parseInt(digits.substring(0, 2));
        int minutes = digits.length() > 2 ? Integer.parseInt(digits.substring(2)) : 0;
        int sign = zone.charAt(0) == '-' ? -1 : 1;
        return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
    }
}
