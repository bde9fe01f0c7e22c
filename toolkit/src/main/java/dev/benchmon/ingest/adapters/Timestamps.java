package dev.benchmon.ingest.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ValidationException;
import dev.benchmon.ValidationException.Problem;
import dev.benchmon.ingest.IngestWarning;
import dev.benchmon.ingest.ResultValidator;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The timestamp forms the adapted tools write, each read where its tool's format is known. */
final class Timestamps {
    private static final DateTimeFormatter GOOGLE_BENCHMARK_OLD = DateTimeFormatter.ofPattern("yyyy/MM/dd-HH:mm:ss");

    private Timestamps() {
    }

    /**
     * A tool's own time field that becomes run_at (lm-evaluation-harness {@code date}, W&amp;B {@code _timestamp}), read
     * as benchmon's JSON reads a run_at (docs/INPUT.md, {@code dev.benchmon.ingest.Timestamps}): a number is epoch
     * seconds below 10<sup>11</sup> and epoch milliseconds from 10<sup>11</sup> to below 10<sup>14</sup>, text one of
     * the {@code Timestamps.FORMS} (a numeric string the same as the number; without a zone read as UTC, with a
     * warning naming {@code field}). A number is read from the digits the file wrote (the double's shortest decimal,
     * as Python's {@code json}, which both tools write with, puts them: {@code 1716392345.123}), not by double
     * arithmetic, which read about half of such numbers a microsecond early ({@code .123} as {@code .122999},
     * {@link #epochSecondsAsBefore}), and is rounded half up to the microsecond a {@code timestamptz} holds.
     *
     * @return the instant, or null when the field is absent or null
     * @throws ValidationException naming {@code field}, as benchmon's JSON refuses such a run_at (in strict and
     *                             lenient mode alike): a value that is no point in time ({@code "yesterday"}, a
     *                             boolean, NaN), a number from 10<sup>14</sup> on, an instant before 1970 ({@code -5})
     *                             or more than a day in the future
     */
    static Instant pointInTime(JsonNode v, String field, List<IngestWarning> warnings) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        Instant at;
        try {
            if (v.isNumber() && Double.isFinite(v.doubleValue())) {
                BigDecimal written = JsonInput.written(v);
                at = dev.benchmon.ingest.Timestamps.fromEpochDecimal(written, written.stripTrailingZeros().toString());
            } else if (v.isNumber()) {
                at = dev.benchmon.ingest.Timestamps.fromEpochNumber(v).instant(); // NaN, Infinity: refused naming it
            } else if (v.isTextual()) {
                dev.benchmon.ingest.Timestamps.Parsed p = dev.benchmon.ingest.Timestamps.parse(v.asText());
                if (p.zoneless()) {
                    warnings.add(new IngestWarning(-1, field, "'" + v.asText() + "' names no time zone: read as UTC ("
                            + p.instant() + ")"));
                }
                at = p.instant();
            } else {
                throw new IllegalArgumentException("must be a date-time string or epoch number, got "
                        + ResultNode.describe(v) + "; use " + dev.benchmon.ingest.Timestamps.FORMS);
            }
        } catch (IllegalArgumentException e) {
            throw new ValidationException(Problem.of(field, e.getMessage()));
        }
        String problem = ResultValidator.runAtProblem(at);
        if (problem != null) {
            throw new ValidationException(Problem.of(field, problem));
        }
        return dev.benchmon.ingest.Timestamps.asStored(at);
    }

    /**
     * A tool's own time field that earlier versions read by the tool's own rule ({@code readAsBefore}: Google
     * Benchmark's {@code context.date} and pytest-benchmark's {@code datetime} by {@link #dateTime}, MLflow's
     * {@code start_time} by {@link #epochMillis}) and dropped without a word where that rule read nothing, so that the
     * result was stored at its time of arrival. Brought in line with {@link #pointInTime}: a value that rule reads is
     * the same instant as before (so the same derived key) and is checked as a run_at is, naming {@code field}; any
     * other value present is read as benchmon's JSON reads a run_at, or refused naming {@code field}. A value read so
     * is put in {@code readBefore} as not read before, so that a result stored then without run_at keeps its key.
     *
     * @param readAsBefore the instant the tool's own rule reads from {@code v}, or null when it reads none
     * @return the instant, or null when the field is absent or null
     * @throws ValidationException naming {@code field}, as {@link #pointInTime}
     */
    static Instant toolTime(JsonNode v, Instant readAsBefore, String field, List<IngestWarning> warnings,
                            Map<Instant, Optional<Instant>> readBefore) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        if (readAsBefore == null) {
            Instant at = pointInTime(v, field, warnings);
            readBefore.put(at, Optional.empty());
            return at;
        }
        String problem = ResultValidator.runAtProblem(readAsBefore);
        if (problem != null) {
            throw new ValidationException(Problem.of(field, problem));
        }
        return readAsBefore;
    }

    /**
     * The instant versions before this one read from the same epoch seconds, by double arithmetic: nanoseconds rounded
     * after the double's error, then cut to microseconds, so {@code 1716392345.123} was stored as {@code .122999}. It
     * is one microsecond before {@link #pointInTime} for about half of the numbers with a fraction, else the same.
     * Never stored: kept only for the idempotency key those versions derived from it ({@link #readBefore}).
     */
    static Instant epochSecondsAsBefore(JsonNode v) {
        double s = v.doubleValue();
        long whole = (long) Math.floor(s);
        return Instant.ofEpochSecond(whole, Math.round((s - whole) * 1e9) / 1000 * 1000);
    }

    /**
     * The run_at earlier versions read from the time field {@code v} that this version reads as {@code runAt}, where the
     * two differ ({@link AdaptedResults#readBefore}): a microsecond earlier for about half of the epoch seconds with a
     * fraction; none (empty) for text and {@code 0}, which they ignored, so that the result had no run_at and its key
     * was derived without one. Empty map where they agree (no fraction, or the double's error did not reach the
     * microsecond), so those results pay nothing.
     */
    static Map<Instant, Optional<Instant>> readBefore(Instant runAt, JsonNode v) {
        if (runAt == null) {
            return Map.of();
        }
        if (!v.isNumber() || v.doubleValue() <= 0) {
            return Map.of(runAt, Optional.empty()); // text and 0 were not read before: no run_at
        }
        Instant before = epochSecondsAsBefore(v);
        // Milliseconds were read as seconds, past any date (refused): no stored result has a key derived from them.
        boolean sameNumberRead = Duration.between(before, runAt).abs().compareTo(Duration.ofNanos(1_000)) <= 0;
        return before.equals(runAt) || !sameNumberRead ? Map.of() : Map.of(runAt, Optional.of(before));
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
