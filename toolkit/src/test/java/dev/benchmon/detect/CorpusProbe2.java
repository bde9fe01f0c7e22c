package dev.benchmon.detect;

import org.junit.jupiter.api.Test;
import java.util.List;

class CorpusProbe2 {
    @Test
    void print() {
        for (LabelledCorpus.Scenario sc : LabelledCorpus.scenarios()) {
            if (!sc.name().contains("latency 6 sd")) continue;
            DetectionSettings s = DetectionSettings.forKind(sc.kind());
            List<Observation> a = sc.generate(1000L * sc.name().hashCode() + 38);
            List<MetricJudgement> js = Replay.run(a, sc.direction(), s);
            for (int k = 0; k < js.size(); k++) {
                MetricJudgement j = js.get(k);
                if (k < 8 || (k > 50 && k < 70)) System.out.println(a.get(k).transactionId() + " " + a.get(k).value() + " " + j.outcome() + " alert=" + j.alert() + " " + j.text() + " state=" + j.state() + " cps=" + j.changePoints().size());
            }
        }
    }
}
