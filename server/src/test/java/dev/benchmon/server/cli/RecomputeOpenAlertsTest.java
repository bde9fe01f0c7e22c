package dev.benchmon.server.cli;

import dev.benchmon.Benchmon;
import dev.benchmon.BenchmarkResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code benchmon metrics recompute --open-alerts}: what an import that was interrupted (or whose alerting step
 * failed) did not reach. Results loaded without alerting, as such an import leaves them, get the alerts an import of
 * the same runs opens, once.
 */
class RecomputeOpenAlertsTest {
    @TempDir
    Path home;

    /** Series m: 11 quiet runs, then its newest run 12 points down (a current regression); loaded without alerting. */
    private void loadedWithoutAlerting() {
        double[] quiet = {0.90, 0.91, 0.89, 0.90, 0.91, 0.89, 0.90, 0.91, 0.89, 0.90, 0.91};
        Instant start = Instant.now().minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        List<BenchmarkResult> runs = new ArrayList<>();
        for (int i = 0; i <= quiet.length; i++) {
            runs.add(BenchmarkResult.builder("m", "d").environment("ci").runAt(start.plus(i, ChronoUnit.DAYS))
                    .metric("f1", i < quiet.length ? quiet[i] : 0.78).build());
        }
        try (Benchmon bm = Benchmon.open(Map.of("BENCHMON_HOME", home.toString()))) {
            bm.importAll(runs, n -> { });
        }
    }

    private PushCommandTest.Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--home", home.toString()));
        return PushCommandTest.run(Map.of(), "", all.toArray(String[]::new));
    }

    @Test
    void it_opens_the_alert_of_a_current_regression_that_loading_left_unopened() {
        loadedWithoutAlerting();
        assertThat(cli("alerts", "list", "--state", "open").out()).doesNotContain("f1");

        PushCommandTest.Run r = cli("metrics", "recompute", "--open-alerts");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("recomputed 1 series").contains("alerts: 1 opened");
        assertThat(cli("alerts", "list", "--state", "open").out()).contains("m").contains("f1");
    }

    @Test
    void running_it_again_opens_nothing_more() {
        loadedWithoutAlerting();
        cli("metrics", "recompute", "--open-alerts");

        PushCommandTest.Run again = cli("metrics", "recompute", "--open-alerts");

        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).doesNotContain("opened");
        assertThat(cli("alerts", "list", "--state", "all").out().lines().filter(l -> l.contains("f1")).count())
                .as("one alert of f1").isEqualTo(1);
    }

    @Test
    void without_the_option_it_only_recomputes() {
        loadedWithoutAlerting();

        PushCommandTest.Run r = cli("metrics", "recompute");

        assertThat(r.out()).contains("recomputed 1 series").doesNotContain("alerts:");
        assertThat(cli("alerts", "list", "--state", "open").out()).doesNotContain("f1");
    }
}
