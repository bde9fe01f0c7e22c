package dev.benchmon.alert;

import dev.benchmon.detect.MetricJudgement;
import dev.benchmon.detect.MetricVerdict;
import dev.benchmon.detect.Outcome;
import dev.benchmon.detect.RunVerdicts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Turns the detection engine's verdicts about the runs just stored into {@link Finding}s: a
 * regression opens (or follows) an alert; a metric judged ok or improved is back within noise and
 * resolves one. Other outcomes (direction unknown, missing, not judged) raise no alert.
 */
public final class EngineFindings {
    private EngineFindings() {
    }

    /** Findings of {@code verdicts} whose run is one of {@code storedRuns}. */
    public static List<Finding> of(Collection<RunVerdicts> verdicts, Collection<Long> storedRuns) {
        Set<Long> stored = Set.copyOf(storedRuns);
        List<Finding> out = new ArrayList<>();
        for (RunVerdicts rv : verdicts) {
            if (!stored.contains(rv.transactionId()) || rv.late()) {
                continue; // a late arrival is reported with the push, not as the series' state
            }
            for (MetricVerdict mv : rv.metrics()) {
                MetricJudgement j = mv.judgement();
                Finding.Kind kind = switch (j.outcome()) {
                    case REGRESSION -> Finding.Kind.REGRESSION;
                    case OK, IMPROVEMENT -> Finding.Kind.WITHIN_NOISE;
                    default -> null;
                };
                if (kind == null) {
                    continue;
                }
                double rel = j.relativeChange();
                out.add(new Finding(rv.seriesId(), mv.metric(), kind, rv.transactionId(), j.baseline(), j.current(),
                        Double.isFinite(rel) ? rel : null,
                        j.outcome() == Outcome.REGRESSION ? j.severity(mv.settings().sensitivity()) : null,
                        mv.metric() + " " + j.outcome().jsonName() + ": " + mv.text(),
                        j.lastBefore() == null ? null : j.lastBefore().commitSha(),
                        j.firstAfter() == null ? null : j.firstAfter().commitSha()));
            }
        }
        return out;
    }
}
