package dev.benchmon.detect;

import java.util.Locale;

/** Prints the corpus table: the engine at default settings beside the landed rule, per scenario. */
public final class CorpusBenchmarkSupport {
    private CorpusBenchmarkSupport() {
    }

    public static String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%nDETECTION CORPUS (%d seeded series x %d runs per scenario; step at run %d)%n",
                LabelledCorpus.SERIES, LabelledCorpus.RUNS, LabelledCorpus.STEP_AT));
        b.append(String.format(Locale.ROOT, "young series: %d seeded series per scenario, runs scored while they have %d to %d runs of history "
                        + "(a young step at the run with %d to %d runs of history, 3 runs after it)%n",
                LabelledCorpus.YOUNG_SERIES, LabelledCorpus.YOUNG_FROM, LabelledCorpus.YOUNG_TO, LabelledCorpus.YOUNG_FROM,
                LabelledCorpus.YOUNG_TO));
        b.append(String.format(Locale.ROOT, "%-34s | %-46s | %-46s | %s%n", "", "benchmon engine (defaults)", "baseline: old rule (mean of 5, 5%)",
                "engine / baseline"));
        String head = String.format(Locale.ROOT, "%6s %7s %7s %7s %6s %6s", "FA/100", "<=2run", "<=3run", "ever", "delay", "repeat");
        b.append(String.format(Locale.ROOT, "%-34s | %-46s | %-46s | %s%n", "scenario", head, head, "FA/100  <=3run"));
        for (LabelledCorpus.Scenario sc : LabelledCorpus.scenarios()) {
            CorpusEvaluation.Score n = CorpusEvaluation.score(sc, CorpusEvaluation.engine(DetectionSettings.defaults()),
                    DetectionSettings.forKind(sc.kind()));
            CorpusEvaluation.Score o = CorpusEvaluation.score(sc, CorpusEvaluation.oldRule(), DetectionSettings.forKind(sc.kind()));
            b.append(String.format(Locale.ROOT, "%-34s | %-46s | %-46s | %6s %7s%n", sc.name(), n.row(), o.row(),
                    ratio(n.falseAlertsPer100(), o.falseAlertsPer100()), ratio(n.detectedWithin3(), o.detectedWithin3())));
            if (sc.outlierAt() >= 0) {
                b.append(String.format(Locale.ROOT, "%-34s | max alerts from the outlier (it and the 3 runs after) in a series %.0f; series with a change point %.1f%%%n",
                        "", n.outlierAlertsMax(), 100 * n.seriesWithChangePoint()));
            }
        }
        b.append("FA/100 = false regression alerts per series per 100 runs (runs before the step; drift: n/a);\n")
                .append("<=2run/<=3run/ever = share of series whose step alerted within 2 / 3 runs / at all; delay = mean runs after the step;\n")
                .append("repeat = extra alerts per detected shift after the first; engine / baseline = the engine's figure over the old rule's.\n");
        return b.toString();
    }

    /** {@code a / b} as {@code x0.12}; {@code -} when either is undefined or {@code b} is 0. */
    private static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "-" : String.format(Locale.ROOT, "x%.2f", a / b);
    }
}
