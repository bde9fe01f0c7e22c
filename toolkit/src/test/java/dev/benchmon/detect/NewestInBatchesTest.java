package dev.benchmon.detect;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.RegressionOptions;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DetectionService#judgeNewest} judges any number of series in batches of {@value DetectionService#BATCH}: one
 * history query and one batch of verdicts in memory at a time (in one query, the 900 series of 200,000 results ran a
 * 128 MB heap out: the memory itself is measured by {@code NewestRunsMemoryBenchmark}, in a JVM of that heap). Batching
 * changes no verdict: each series is judged as it is alone.
 */
class NewestInBatchesTest {
    /** Three batches, the last of one series. */
    private static final int SERIES = 2 * DetectionService.BATCH + 1;
    private static final int RUNS = 24;
    private static final double[] QUIET = {0.90, 0.91, 0.89, 0.905, 0.895, 0.90, 0.91, 0.89, 0.90, 0.895, 0.905};

    private static Benchmon bm;
    private static List<Integer> ids;

    /**
     * {@link #SERIES} series of {@value #RUNS} hourly runs of f1 about 0.90; every third one's newest run 6 points down, counting
     * from the last series (alone in the last batch).
     */
    @BeforeAll
    static void load() {
        bm = TestDatabases.fresh();
        Instant t0 = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        List<BenchmarkResult> results = new ArrayList<>();
        for (int s = 0; s < SERIES; s++) {
            for (int i = 0; i < RUNS; i++) {
                double f1 = QUIET[i % QUIET.length] - (i == RUNS - 1 && (SERIES - 1 - s) % 3 == 0 ? 0.06 : 0);
                results.add(BenchmarkResult.builder(String.format("m%03d", s), "d").environment("ci")
                        .runAt(t0.plusSeconds(i * 3600L)).commitSha("c" + i).metric("f1", f1).build());
            }
        }
        bm.importAll(results, n -> { });
        ids = bm.jdbi().withHandle(h -> h.createQuery("SELECT id FROM series ORDER BY id").mapTo(Integer.class).list());
    }

    @AfterAll
    static void close() {
        bm.close();
    }

    /** What a run's verdicts say, metric by metric. */
    private static String said(RunVerdicts v) {
        return v.seriesId() + " " + v.transactionId() + v.metrics().stream()
                .map(m -> " | " + m.metric() + " " + m.judgement().outcome() + " " + m.judgement().alert() + " " + m.text())
                .toList();
    }

    @Test
    void every_series_is_judged_in_batches_of_at_most_a_batch_each_as_it_is_judged_alone() {
        List<Integer> sizes = new ArrayList<>();
        List<RunVerdicts> judged = new ArrayList<>();
        bm.jdbi().useHandle(h -> bm.detection().judgeNewest(h, ids, DetectionOverrides.NONE, DetectionInputs.NONE,
                (Collection<RunVerdicts> batch) -> {
                    sizes.add(batch.size());
                    judged.addAll(batch);
                }));

        assertThat(sizes).containsExactly(DetectionService.BATCH, DetectionService.BATCH, 1);
        assertThat(judged).extracting(RunVerdicts::seriesId).containsExactlyElementsOf(ids);
        for (RunVerdicts v : judged) {
            Map<Integer, RunVerdicts> alone = bm.detection().judgeNewest(List.of(v.seriesId()), DetectionOverrides.NONE,
                    DetectionInputs.NONE);
            assertThat(said(v)).isEqualTo(said(alone.get(v.seriesId())));
        }
        assertThat(judged).filteredOn(v -> v.metrics().get(0).judgement().outcome() == Outcome.REGRESSION)
                .hasSize((SERIES + 2) / 3);
    }

    @Test
    void a_request_sensitivity_judges_again_the_series_of_every_batch() {
        // At its own settings every third series regressed, the last one too; at 50 sd none did, in whichever batch.
        String last = String.format("m%03d", SERIES - 1);
        List<Verdict> own = bm.regressions(Filter.all(), RegressionOptions.defaults());
        assertThat(own).filteredOn(Verdict::regression).hasSize((SERIES + 2) / 3)
                .anyMatch(v -> v.modelVersion().equals(last));

        List<Verdict> strict = bm.regressions(Filter.all(), RegressionOptions.defaults().withSensitivity(50));

        assertThat(strict).hasSize(SERIES).noneMatch(Verdict::regression);
        assertThat(strict).filteredOn(v -> v.modelVersion().equals(last))
                .singleElement().satisfies(v -> assertThat(v.outcome()).isEqualTo("ok"));
    }
}
