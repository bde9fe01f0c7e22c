package dev.benchmon;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/** Width of a time bucket in trend queries; buckets are aligned in UTC. */
public enum Bucket {
    HOUR("hour", Duration.ofHours(1)), DAY("day", Duration.ofDays(1)), WEEK("week", Duration.ofDays(7));

    private final String sqlUnit;
    private final Duration width;

    Bucket(String sqlUnit, Duration width) {
        this.sqlUnit = sqlUnit;
        this.width = width;
    }

    /** How long one bucket is: an hour, a day or a week. */
    public Duration width() {
        return width;
    }

    /**
     * The start of the bucket holding {@code at}, as {@code date_trunc} gives it in UTC: the hour, the day, or the
     * Monday of its ISO week, at 00:00.
     */
    public Instant start(Instant at) {
        return switch (this) {
            case HOUR -> at.truncatedTo(ChronoUnit.HOURS);
            case DAY -> at.truncatedTo(ChronoUnit.DAYS);
            case WEEK -> at.atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS)
                    .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toInstant();
        };
    }

    /** The {@code date_trunc} unit. */
    public String sqlUnit() {
        return sqlUnit;
    }

    /** A bucket that gives a readable number of points for a window: hours up to 2 days, days up to 120. */
    public static Bucket forWindow(Duration window) {
        if (window == null) {
            return WEEK;
        }
        if (window.compareTo(Duration.ofDays(2)) <= 0) {
            return HOUR;
        }
        return window.compareTo(Duration.ofDays(120)) <= 0 ? DAY : WEEK;
    }

    /** Parses {@code hour}, {@code day} or {@code week}, in any case. */
    public static Bucket parse(String text) {
        for (Bucket b : values()) {
            if (b.sqlUnit.equalsIgnoreCase(text.trim())) {
                return b;
            }
        }
        throw new InvalidArgumentException(ValidationException.Problem.of("bucket",
                "unknown bucket '" + dev.benchmon.ingest.TextRules.quoted(text) + "' (allowed: hour, day, week)"));
    }
}
