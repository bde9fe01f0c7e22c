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
        b.append(String.format(Locale.ROOT, "%-34s | %-46s | %-46s%n", "", "benchmon engine (defaults)", "baseline: old rule (mean of 5, 5%)"));
        String head = String.format(Locale.ROOT, "%6s %7s %7s %7s %6s %6s", "FA/100", "<=2run", "<=3run", "ever", "delay", "repeat");
        b.append(String.format(Locale.ROOT, "%-34s | %-46s | %-46s%n", "scenario", head, head));
        for (LabelledCorpus.Scenario sc : LabelledCorpus.scenarios()) {
            CorpusEvaluation.Score n = CorpusEvaluation.score(sc, CorpusEvaluation.engine(DetectionSettings.defaults()),
                    DetectionSettings.forKind(sc.kind()));
            CorpusEvaluation.Score o = CorpusEvaluation.score(sc, CorpusEvaluation.oldRule(), DetectionSettings.forKind(sc.kind()));
            b.append(String.format(Locale.ROOT, "%-34s | %-46s | %-46s%n", sc.name(), n.row(), o.row()));
            if (sc.outlierAt() >= 0) {
                b.append(String.format(Locale.ROOT, "%-34s | max alerts from the outlier (it and the 3 runs after) in a series %.0f; series with a change point %.1f%%%n",
                        "", n.outlierAlertsMax(), 100 * n.seriesWithChangePoint()));
            }
        }
        b.append("FA/100 = false regression alerts per series per 100 runs (runs before the step; drift: n/a);\n")
                .append("<=2run/<=3run/ever = share of series whose step alerted within 2 / 3 runs / at all; delay = mean runs after the step;\n")
                .append("repeat = extra alerts per detected shift after the first.\n");
        return b.toString();
    }
}
