package dev.benchmon.ingest.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ValidationException;
import dev.benchmon.ValidationException.Problem;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The timestamp forms the adapted tools write, each read where its tool's format is known. */
final class Timestamps {
    private static final DateTimeFormatter GOOGLE_BENCHMARK_OLD = DateTimeFormatter.ofPattern("yyyy/MM/dd-HH:mm:ss");

    private Timestamps() {
    }

    /**
     * Epoch seconds with a fraction (lm-evaluation-harness {@code date}, W&B {@code _timestamp}) to the microsecond,
     * by the double arithmetic of earlier versions (nanoseconds rounded, then cut to microseconds): the instant is
     * part of a derived idempotency key (these tools send no run id), so reading the same file again must give the
     * same instant, and a decimal reading differs in the last microsecond for about one value in eight. Null when not
     * a positive number.
     *
     * @throws ValidationException naming {@code field} when the number is beyond any instant
     */
    static Instant epochSeconds(JsonNode v, String field) {
        if (v == null || !v.isNumber() || !Double.isFinite(v.doubleValue()) || v.doubleValue() <= 0) {
            return null;
        }
        double s = v.doubleValue();
        if (!(s < Instant.MAX.getEpochSecond())) {
            throw new ValidationException(Problem.of(field, v.decimalValue().stripTrailingZeros()
                    + " epoch seconds is out of range: no instant is that far"));
        }
        long whole = (long) Math.floor(s);
        return Instant.ofEpochSecond(whole, Math.round((s - whole) * 1e9) / 1000 * 1000);
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
