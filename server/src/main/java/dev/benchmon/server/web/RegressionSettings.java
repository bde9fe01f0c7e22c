package dev.benchmon.server.web;

import dev.benchmon.BaselineMode;
import dev.benchmon.RegressionOptions;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The regression controls (threshold in percent, baseline mode, window, pinned transaction), read
 * from the URL. The snapshot tab uses the same settings, so its colours and its "open regressions"
 * card agree with the regression tab.
 *
 * @param thresholdPercent relative threshold in percent (5 = 5%)
 * @param baseline         baseline mode
 * @param window           runs averaged by the mean baseline
 * @param pinned           transaction id for the pinned baseline, or {@code null}
 * @param problems         what was wrong with the URL, as "field: message"
 */
record RegressionSettings(double thresholdPercent, BaselineMode baseline, int window, Long pinned,
                          List<String> problems) {

    static final List<String> KEYS = List.of("threshold", "baseline", "window", "pinned");
    static final double DEFAULT_THRESHOLD_PERCENT = 5;
    static final int DEFAULT_WINDOW = 5;

    static RegressionSettings from(UrlState url) {
        List<String> problems = new ArrayList<>();
        double threshold = DEFAULT_THRESHOLD_PERCENT;
        String t = url.first("threshold");
        if (t != null) {
            try {
                threshold = Double.parseDouble(t.replace("%", ""));
                if (!(threshold >= 0 && threshold <= 1000)) {
                    problems.add("threshold: must be between 0 and 1000 percent, got " + t);
                    threshold = DEFAULT_THRESHOLD_PERCENT;
                }
            } catch (NumberFormatException e) {
                problems.add("threshold: '" + t + "' is not a number (percent, e.g. 5)");
            }
        }
        int window = DEFAULT_WINDOW;
        String w = url.first("window");
        if (w != null) {
            try {
                window = Integer.parseInt(w);
                if (window < 1 || window > 1000) {
                    problems.add("window: must be between 1 and 1000 runs, got " + w);
                    window = DEFAULT_WINDOW;
                }
            } catch (NumberFormatException e) {
                problems.add("window: '" + w + "' is not a whole number of runs");
            }
        }
        Long pinned = null;
        String p = url.first("pinned");
        if (p != null) {
            try {
                pinned = Long.parseLong(p);
            } catch (NumberFormatException e) {
                problems.add("pinned: '" + p + "' is not a transaction id");
            }
        }
        BaselineMode mode = BaselineMode.MEAN;
        String b = url.first("baseline");
        if (b != null) {
            try {
                mode = BaselineMode.parse(b);
            } catch (RuntimeException e) {
                problems.add("baseline: unknown baseline mode '" + b + "' (allowed: mean, previous, pinned)");
            }
        }
        if (mode == BaselineMode.PINNED && pinned == null) {
            problems.add("pinned: the pinned baseline needs a transaction id; using the mean baseline");
            mode = BaselineMode.MEAN;
        }
        return new RegressionSettings(threshold, mode, window, pinned, List.copyOf(problems));
    }

    /** The toolkit options for these settings. */
    RegressionOptions options() {
        RegressionOptions o = RegressionOptions.defaults().withThreshold(thresholdPercent / 100).withWindow(window)
                .withBaseline(baseline == BaselineMode.PINNED ? BaselineMode.MEAN : baseline);
        return baseline == BaselineMode.PINNED ? o.pinnedTo(pinned) : o;
    }

    /** The threshold as typed in the control, e.g. "5" or "2.5". */
    String thresholdText() {
        return BigDecimal.valueOf(thresholdPercent).stripTrailingZeros().toPlainString();
    }

    /** E.g. "mean of the previous 5 runs". */
    String baselineLabel() {
        return switch (baseline) {
            case MEAN -> "mean of the previous " + window + (window == 1 ? " run" : " runs");
            case PREVIOUS -> "the previous run";
            case PINNED -> "transaction " + pinned;
        };
    }
}
