package dev.benchmon.server.web;

import java.time.Duration;

/** The time ranges of the filter bar. */
enum TimeRange {
    LAST_24H("24h", "Last 24 hours", Duration.ofHours(24)),
    LAST_7D("7d", "Last 7 days", Duration.ofDays(7)),
    LAST_30D("30d", "Last 30 days", Duration.ofDays(30)),
    LAST_90D("90d", "Last 90 days", Duration.ofDays(90)),
    ALL("all", "All time", null),
    CUSTOM("custom", "Custom dates", null);

    /** What a new visitor sees: a month shows trends without drowning in history. */
    static final TimeRange DEFAULT = LAST_30D;

    private final String key;
    private final String label;
    private final Duration window;

    TimeRange(String key, String label, Duration window) {
        this.key = key;
        this.label = label;
        this.window = window;
    }

    String key() {
        return key;
    }

    String label() {
        return label;
    }

    /** The window back from now, or {@code null} for all time and custom dates. */
    Duration window() {
        return window;
    }

    /** The range with this URL key, or {@code null}. */
    static TimeRange byKey(String key) {
        for (TimeRange r : values()) {
            if (r.key.equalsIgnoreCase(key)) {
                return r;
            }
        }
        return null;
    }
}
