package dev.benchmon.server.web;

import dev.benchmon.MinEffect;
import dev.benchmon.RegressionOptions;
import dev.benchmon.ValidationException;
import dev.benchmon.detect.DetectionSettings;

import java.util.ArrayList;
import java.util.List;

/**
 * The detection controls (sensitivity in noise sd, minimum effect), read from the URL. The snapshot tab
 * uses the same settings, so its colours and its "open regressions" card agree with the regression tab.
 * Without them the page reads the verdicts stored at ingest; with them the series shown are judged again.
 *
 * @param sensitivity noise sd a change must exceed, or NaN for each metric's default (4)
 * @param minEffect   smallest change that matters as typed: {@code 2%} (relative to each baseline) or a number in
 *                    the metric's unit, above 0 ({@link MinEffect}); null for each metric's own
 * @param problems    what was wrong with the URL, as "field: message"
 */
record RegressionSettings(double sensitivity, String minEffect, List<String> problems) {

    static final List<String> KEYS = List.of("sensitivity", "min_effect");

    static RegressionSettings from(UrlState url) {
        List<String> problems = new ArrayList<>();
        double sensitivity = Double.NaN;
        String s = url.first("sensitivity");
        if (s != null && !s.isBlank()) {
            try {
                sensitivity = DetectionSettings.parseSensitivity(s);
            } catch (ValidationException e) {
                problems.add("sensitivity: " + e.problems().get(0).message()); // the toolkit's words, as min_effect's
            }
        }
        String minEffect = null;
        String m = url.first("min_effect");
        if (m != null && !m.isBlank()) {
            try {
                // 2% = relative, a plain number = absolute; above 0, as every ?min_effect= (the Java API's 0, no floor,
                // is not a request's)
                MinEffect.parse("min_effect", m);
                minEffect = m.trim();
            } catch (ValidationException e) {
                problems.add("min_effect: " + e.problems().get(0).message());
            }
        }
        return new RegressionSettings(sensitivity, minEffect, List.copyOf(problems));
    }

    /** The toolkit options for these settings. */
    RegressionOptions options() {
        RegressionOptions o = RegressionOptions.defaults();
        if (!Double.isNaN(sensitivity)) {
            o = o.withSensitivity(sensitivity);
        }
        if (minEffect != null) {
            o = o.withMinEffect(minEffect);
        }
        return o;
    }

    /** The sensitivity in effect, in noise sd. */
    double effectiveSensitivity() {
        return Double.isNaN(sensitivity) ? DetectionSettings.DEFAULT_SENSITIVITY : sensitivity;
    }

    /** E.g. "4 noise sd (default)". */
    String label() {
        return Formats.number(effectiveSensitivity()) + " noise sd" + (Double.isNaN(sensitivity) ? " (default)" : "")
                + (minEffect == null ? "" : ", minimum effect " + minEffect);
    }
}
