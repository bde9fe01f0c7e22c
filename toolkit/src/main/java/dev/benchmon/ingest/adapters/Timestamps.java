package dev.benchmon.ingest.adapters;

import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ValidationException;
import dev.benchmon.ValidationException.Problem;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** The timestamp forms the adapted tools write, each read where its tool's format is known. */
final class Timestamps {
    private static final DateTimeFormatter GOOGLE_BENCHMARK_OLD = DateTimeFormatter.ofPattern("yyyy/MM/dd-HH:mm:ss");

    private Timestamps() {
    }

    /**
     * Epoch seconds with a fraction (lm-evaluation-harness {@code date}, W&B {@code _timestamp}) as the instant the
     * file wrote, to the microsecond a {@code timestamptz} holds: the number's shortest decimal (the digits Python's
     * {@code json}, which both tools write with, puts in the file; {@code 1716392345.123}), rounded half up to the
     * microsecond. Not by double arithmetic, which reads about half of such numbers a microsecond early
     * ({@code .123} as {@code .122999}, {@link #epochSecondsAsBefore}). Null when not a positive number.
     *
     * @throws ValidationException naming {@code field} when the number is beyond any instant
     */
    static Instant epochSeconds(JsonNode v, String field) {
        if (v == null || !v.isNumber() || !Double.isFinite(v.doubleValue()) || v.doubleValue() <= 0) {
            return null;
        }
        if (!(v.doubleValue() < Instant.MAX.getEpochSecond())) {
            throw new ValidationException(Problem.of(field, v.decimalValue().stripTrailingZeros()
                    + " epoch seconds is out of range: no instant is that far"));
        }
        // A double node holds no digits: its shortest decimal is the one that reads back as it, which a file of
        // shortest digits (as Python writes) wrote. A node read exactly (a whole number, a decimal node) is its value.
        BigDecimal written = v.isDouble() || v.isFloat() ? new BigDecimal(NumberOutput.toString(v.doubleValue(), true))
                : v.decimalValue();
        return dev.benchmon.ingest.Timestamps.epochSeconds(written.setScale(6, RoundingMode.HALF_UP));
    }

    /**
     * The instant versions before this one read from the same epoch seconds, by double arithmetic: nanoseconds rounded
     * after the double's error, then cut to microseconds, so {@code 1716392345.123} was stored as {@code .122999}. It
     * is one microsecond before {@link #epochSeconds} for about half of the numbers with a fraction, else the same.
     * Never stored: kept only for the idempotency key those versions derived from it ({@link #readBefore}).
     */
    static Instant epochSecondsAsBefore(JsonNode v) {
        double s = v.doubleValue();
        long whole = (long) Math.floor(s);
        return Instant.ofEpochSecond(whole, Math.round((s - whole) * 1e9) / 1000 * 1000);
    }

    /**
     * The run_at earlier versions read from the epoch seconds {@code v} that this version reads as {@code runAt}, where
     * the two differ ({@link AdaptedResults#readBefore}); empty where they agree (no fraction, or the double's error
     * did not reach the microsecond), so those results pay nothing.
     */
    static Map<Instant, Instant> readBefore(Instant runAt, JsonNode v) {
        if (runAt == null) {
            return Map.of();
        }
        Instant before = epochSecondsAsBefore(v);
        return before.equals(runAt) ? Map.of() : Map.of(runAt, before);
    }

    /** Epoch milliseconds (MLflow {@code start_time} and metric {@code timestamp}); null when not a positive whole number. */
    static Instant epochMillis(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isTextual()) { // MLflow's REST API writes int64 as JSON strings
            try {
                long ms = Long.parseLong(v.asText().trim());
                return ms > 0 ? Instant.ofEpochMilli(ms) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return v.canConvertToLong() && v.longValue() > 0 ? Instant.ofEpochMilli(v.longValue()) : null;
    }

    /**
     * An ISO-8601 date-time with or without an offset (pytest-benchmark {@code datetime}, Google
     * Benchmark's newer {@code context.date}) or Google Benchmark's older {@code 2015/03/17-18:40:25}.
     *
     * @return the instant and whether it had no zone (then read as UTC), or null when unreadable
     */
    static Zoned dateTime(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.trim();
        try {
            return new Zoned(OffsetDateTime.parse(t).toInstant(), false);
        } catch (DateTimeParseException ignored) {
            // a form without a zone follows
        }
        try {
            return new Zoned(OffsetDateTime.parse(t, DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSSSSS][.SSS]XX"))
                    .toInstant(), false);
        } catch (DateTimeParseException ignored) {
            // +hhmm offsets; next form
        }
        for (DateTimeFormatter f : new DateTimeFormatter[]{DateTimeFormatter.ISO_LOCAL_DATE_TIME, GOOGLE_BENCHMARK_OLD,
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")}) {
            try {
                return new Zoned(LocalDateTime.parse(t, f).toInstant(ZoneOffset.UTC), true);
            } catch (DateTimeParseException ignored) {
                // next form
            }
        }
        return null;
    }

    /** An instant read from text, and whether the text had no zone (read as UTC). */
    record Zoned(Instant instant, boolean zoneless) {
    }
}
