package dev.benchmon.query;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.alert.AlertChange;
import dev.benchmon.alert.AlertState;
import dev.benchmon.detect.DetectionOverrides;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bm.compareModels(...)} flags the rows whose series and metric have an active alert: a window's mean hides a
 * regression of the newest runs, which a trial user compared past. Two models on one dataset, pushed run by run as CI
 * does; the candidate's f1 drops by 10 points in its newest run, which opens an alert.
 */
class CompareActiveAlertsTest {
    private static final Instant T0 = Instant.now().minusSeconds(40 * 3600L);
    private static Benchmon bm;
    private static long alertId;

    @BeforeAll
    static void pushRuns() {
        bm = TestDatabases.fresh();
        Random noise = new Random(8);
        List<AlertChange> opened = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Instant at = T0.plusSeconds(i * 3600L);
            double candidate = (i < 29 ? 0.90 : 0.80) + 0.004 * noise.nextGaussian();
            opened.addAll(bm.recordJudged(List.of(
                    BenchmarkResult.builder("base", "d").environment("ci").runAt(at).runId("b-" + i)
                            .metric("f1", 0.88 + 0.004 * noise.nextGaussian()).build(),
                    BenchmarkResult.builder("candidate", "d").environment("ci").runAt(at).runId("c-" + i)
                            .metric("f1", candidate).build()), Map.of(), DetectionOverrides.NONE).alerts());
        }
        assertThat(opened).as("the drop opened one alert").hasSize(1);
        alertId = opened.get(0).alertId();
        // A fourth model, steady on d, drops on d2 (the alert is d2's).
        for (int i = 0; i < 30; i++) {
            Instant at = T0.plusSeconds(i * 3600L);
            bm.recordJudged(List.of(
                    BenchmarkResult.builder("split", "d").environment("ci").runAt(at).runId("pd-" + i)
                            .metric("f1", 0.70 + 0.004 * noise.nextGaussian()).build(),
                    BenchmarkResult.builder("split", "d2").environment("ci").runAt(at).runId("pd2-" + i)
                            .metric("f1", (i < 29 ? 0.90 : 0.80) + 0.004 * noise.nextGaussian()).build()), Map.of(),
                    DetectionOverrides.NONE);
        }
        // A third model slips a little (the alert opens on that), then falls far: the alert's change moves on.
        for (int i = 0; i < 31; i++) {
            double f1 = i < 29 ? 0.90 + 0.004 * noise.nextGaussian() : i == 29 ? 0.87 : 0.60;
            bm.recordJudged(List.of(BenchmarkResult.builder("slipping", "d").environment("ci")
                    .runAt(T0.plusSeconds(i * 3600L)).runId("s-" + i).metric("f1", f1).build()), Map.of(),
                    DetectionOverrides.NONE);
        }
    }

    @AfterAll
    static void close() {
        bm.close();
    }

    private static String activeAlert(Table t, String model) {
        Table row = t.where(t.stringColumn("model_version").isEqualTo(model).and(t.stringColumn("metric").isEqualTo("f1")));
        assertThat(row.rowCount()).isEqualTo(1);
        return row.stringColumn("active_alert").get(0);
    }

    @Test
    void the_row_of_a_model_whose_newest_run_opened_an_alert_names_it() {
        Table t = bm.compareModels(Filter.models(List.of("base", "candidate")).withLast(java.time.Duration.ofDays(7)));

        assertThat(activeAlert(t, "candidate")).matches("#" + alertId + " open, (major|critical): -\\d+\\.\\d points");
        assertThat(activeAlert(t, "base")).isEmpty();
        assertThat(t.columnNames()).last().isEqualTo("active_alert");
    }

    @Test
    void an_alert_whose_change_moved_on_is_named_with_its_severity_and_change_now() {
        Table t = bm.compareModels(Filter.models(List.of("base", "slipping")).withLast(java.time.Duration.ofDays(7)));

        assertThat(activeAlert(t, "slipping")).matches("#\\d+ open, critical: -(29|30|31)\\.\\d points");
    }

    @Test
    void a_pooled_row_names_the_alerts_of_the_series_it_pools() {
        Table pooled = bm.compareModels(Filter.models(List.of("base", "candidate")).withLast(java.time.Duration.ofDays(7)),
                dev.benchmon.compare.CompareOptions.defaults().withPooled(true));

        assertThat(pooled.stringColumn("dataset_version").asList()).containsOnly("*");
        assertThat(activeAlert(pooled, "candidate")).startsWith("#" + alertId + " ");
        assertThat(activeAlert(pooled, "base")).isEmpty();
    }

    @Test
    void a_pooled_row_names_no_alert_of_a_dataset_the_filter_leaves_out() {
        dev.benchmon.compare.CompareOptions pooled = dev.benchmon.compare.CompareOptions.defaults().withPooled(true);
        Filter both = Filter.models(List.of("base", "split")).withLast(java.time.Duration.ofDays(7));

        assertThat(activeAlert(bm.compareModels(both, pooled), "split")).startsWith("#");
        assertThat(activeAlert(bm.compareModels(both.withDatasets("d"), pooled), "split")).isEmpty();
    }

    @Test
    void an_acknowledged_alert_is_still_named_and_a_resolved_one_no_longer() {
        bm.setAlertState(alertId, AlertState.ACKNOWLEDGED, "ana", "looking");
        assertThat(activeAlert(bm.compareModels(List.of("base", "candidate"), java.time.Duration.ofDays(7)), "candidate"))
                .startsWith("#" + alertId + " acknowledged, ");

        bm.setAlertState(alertId, AlertState.RESOLVED, "ana", "fixed");
        assertThat(activeAlert(bm.compareModels(List.of("base", "candidate"), java.time.Duration.ofDays(7)), "candidate"))
                .isEmpty();
        bm.setAlertState(alertId, AlertState.OPEN, "ana", "reopened for the other test");
    }
}
