package dev.benchmon.server.web;

import java.util.List;
import java.util.Locale;

/**
 * What {@link Selection#from} checks a URL's names against. The parameter rules (how a value is split, what an unknown
 * name falls back to) are Selection's alone; only where the answers come from differs, so that a caller pays for the
 * names it needs:
 * <ul>
 *   <li>{@link Choices}, for a page: it reads every name anyway to offer them in its filter bar, so it answers from
 *       those lists, and a problem lists the known names;</li>
 *   <li>{@link CheckedNames}, for the Trends page's small-chart fragment: it renders no filter bar, and one Trends
 *       page fetches many of them, so it asks the catalog about the few names its URL gives instead of reading five
 *       lists (5,000 models, 1,000 metrics) for each chart.</li>
 * </ul>
 */
interface KnownNames {
    /** The kinds of name a view's URL gives, named in problems as the toolkit names them ({@code environment}, ...). */
    enum Kind {
        ENVIRONMENT, MODEL, DATASET, PROMPT, METRIC;

        /** How a problem names the kind: {@code unknown environment 'x'}. */
        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code true} when the database holds {@code name} as a {@code kind} (a prompt version may be "": none). */
    boolean isKnown(Kind kind, String name);

    /**
     * {@code true} when a metric definition names {@code metric} (declared before its first result, or a default
     * definition), asked of a metric {@link #isKnown} does not know, so that the problem says it has no results yet
     * rather than that it is unknown.
     */
    boolean isDefinedMetric(String metric);

    /** The known names a problem about an unknown {@code kind} lists; empty when none are at hand. */
    List<String> listed(Kind kind);

    /** The metric a view shows when its URL names none (or an unknown one); {@code null} when there is none. */
    String defaultMetric();
}
