package dev.benchmon.server.cli;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code benchmon backtest} replays the detector over stored history, for the series the user names. */
class BacktestCommandTest {
    @AutoClose // after the class's last test
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        for (int i = 0; i < 12; i++) {
            server.benchmon().record(BenchmarkResult.builder("bt-model", "d").environment("ci").runId("bt-" + i)
                    .metric("f1", 0.80 + (i % 3) / 1000.0).build());
        }
    }

    @Test
    void a_named_model_is_replayed_run_by_run() {
        PushCommandTest.Run r = run("backtest", "--db", server.databaseUrl(), "--model", "bt-model", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"metric\":\"f1\"").contains("\"runs\":12");
    }

    @Test
    void an_unknown_model_is_invalid_input_listing_the_known_ones() {
        PushCommandTest.Run r = run("backtest", "--db", server.databaseUrl(), "--model", "bt-modle");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("bt-modle").contains("bt-model");
        assertThat(r.out()).isEmpty();
    }
}
