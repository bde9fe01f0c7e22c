package dev.benchmon.detect;

import org.junit.jupiter.api.Test;

class CorpusProbe {
    @Test
    void print() {
        DetectionSettings s = DetectionSettings.defaults()
                .withSensitivity(Double.parseDouble(System.getProperty("z", "4")))
                .withPenalty(Double.parseDouble(System.getProperty("pen", "4")));
        for (LabelledCorpus.Scenario sc : LabelledCorpus.scenarios()) {
            CorpusEvaluation.Score n = CorpusEvaluation.score(sc, CorpusEvaluation.engine(s), DetectionSettings.forKind(sc.kind()).withSensitivity(s.sensitivity()).withPenalty(s.penalty()));
            CorpusEvaluation.Score o = CorpusEvaluation.score(sc, CorpusEvaluation.oldRule(), DetectionSettings.forKind(sc.kind()));
            System.out.printf("%-36s NEW %s cp=%.2f max=%.0f | OLD %s%n", sc.name(), n.row(), n.seriesWithChangePoint(), n.outlierAlertsMax(), o.row());
        }
    }
}
