package dev.benchmon;

import dev.benchmon.demo.DemoHistory;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

class SmokeTest {
    @Test
    void everything() {
        try (Benchmon bm = TestDatabases.fresh()) {
            System.out.println(bm);
            var demo = DemoHistory.generate();
            long t0 = System.nanoTime();
            bm.importAll(demo, n -> { });
            System.out.println("demo " + demo.size() + " in " + (System.nanoTime() - t0) / 1e6 + " ms");
            bm.latestSnapshots(Filter.environment("production")).print();
            System.out.println(bm.timeSeries("medgemma-v1.2", "f1", Duration.ofDays(7)).print());
            System.out.println(bm.compareModels(List.of("medgemma-v1.2", "medgemma-v1.3"), Duration.ofDays(7)).print());
            System.out.println(bm.detectRegressions("medgemma-v1.3", 0.05).print());
            System.out.println(bm.history(Filter.model("gpt-4o-mini").withLimit(5)).print());
            System.out.println(bm.summary(Filter.last(Duration.ofDays(1))));
            System.out.println(dev.benchmon.chart.ChartHtml.fragment(dev.benchmon.chart.Charts.trend(bm.timeSeries("medgemma-v1.2", "f1", Duration.ofDays(3)))).substring(0, 1500));
        }
    }
}
