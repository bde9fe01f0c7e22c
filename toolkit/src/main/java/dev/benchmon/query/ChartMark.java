package dev.benchmon.query;

import java.time.Instant;
import java.util.Locale;

/**
 * Something that happened to a series, drawn on its charts as a marker with hover text.
 *
 * @param kind   what it is
 * @param at     when: the run's {@code run_at} (for a change point, the first run of the new segment), UTC
 * @param value  where to draw it: the run's value of the charted metric (for a change point, the new level),
 *               in the metric's unit
 * @param series the series' label, {@code model / dataset / prompt @environment}
 * @param text   the hover text, plain (not markup): who, why, magnitude and commit range (whole SHAs) as the kind has them
 */
public record ChartMark(Kind kind, Instant at, double value, String series, String text) {

    /** The kinds of marks, each drawn as its own legend entry. */
    public enum Kind {
        /** A run marked excluded (greyed), with the reason. */
        EXCLUDED("excluded runs"),
        /** A run's {@code notes}, or a note annotation. */
        NOTE("notes and annotations"),
        /** An alert marked {@code expected}: an intended change, the new level is the baseline. */
        EXPECTED("expected changes"),
        /** A change point the detection engine stored: magnitude, commit range and confidence. */
        CHANGE_POINT("change points");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The legend label, e.g. {@code change points}. */
        public String label() {
            return label;
        }

        /** {@code excluded}, {@code note}, {@code expected}, {@code change_point}. */
        public String sqlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
