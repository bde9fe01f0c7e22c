package dev.benchmon.server.web;

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
 * @param minEffect   smallest change that matters, in the metric's unit, or NaN for each metric's own
 * @param problems    what was wrong with the URL, as "field: message"
 */
record RegressionSettings(double sensitivity, double minEffect, List<String> problems) {

    static final List<String> KEYS = List.of("sensitivity", "min_effect");

    static RegressionSettings from(UrlState url) {
        List<String> problems = new ArrayList<>();
        double sensitivity = Double.NaN;
        String s = url.first("sensitivity");
        if (s != null && !s.isBlank()) {
            try {
                sensitivity = DetectionSettings.parseSensitivity(s);
            } catch (ValidationException e) {
                problems.add("sensitivity: must be low, medium, high or a number of noise sd > 0, got '" + s + "'");
            }
        }
        double minEffect = Double.NaN;
        String m = url.first("min_effect");
        if (m != null && !m.isBlank()) {
            try {
                minEffect = Double.parseDouble(m);
                if (!(minEffect >= 0) || Double.isInfinite(minEffect)) {
                    problems.add("min_effect: must be a number >= 0 in the metric's unit, got " + m);
                    minEffect = Double.NaN;
                }
            } catch (NumberFormatException e) {
                problems.add("min_effect: '" + m + "' is not a number");
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
        if (!Double.isNaN(minEffect)) {
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
                + (Double.isNaN(minEffect) ? "" : ", minimum effect " + Formats.number(minEffect));
    }
}
