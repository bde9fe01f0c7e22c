package dev.benchmon.db;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.DatabaseException;
import dev.benchmon.Filter;
import dev.benchmon.support.TestDatabases;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A Benchmon used after {@code close()} (in JShell, say, after {@code bm.close()}) says so, in the toolkit's own
 * exception family, for the queries and writes alike, rather than leaking the pool's "HikariDataSource has been
 * closed" as a Jdbi ConnectionException. SQLSTATE 08003 (connection does not exist) keeps the server's answer to a
 * closed pool a 503, as {@code LifecycleTest} has it.
 */
class ClosedBenchmonTest {
    private static Benchmon bm;

    @BeforeAll
    static void openRecordAndClose() {
        bm = TestDatabases.fresh();
        bm.record(BenchmarkResult.builder("m", "d").metric("f1", 0.9).build());
        bm.requireKnown(Filter.model("m")); // the catalog now remembers m: a later read skips its check
        bm.close();
    }

    @Test
    void every_kind_of_call_after_close_says_the_benchmon_is_closed_and_how_to_go_on() {
        Map<String, ThrowingCallable> calls = Map.of(
                "models", () -> bm.models(),
                "knownNames", () -> bm.knownNames("metric"),
                "history", () -> bm.history(Filter.model("m")),
                "latestSnapshots", () -> bm.latestSnapshots(Filter.model("m")),
                "compareModels", () -> bm.compareModels(List.of("m"), Duration.ofDays(1)),
                "metricDefinitions", () -> bm.metricDefinitions(),
                "record", () -> bm.record(BenchmarkResult.builder("m", "d").metric("f1", 0.8).build()));
        calls.forEach((name, call) -> assertThatThrownBy(call).as(name)
                .isInstanceOfSatisfying(DatabaseException.class, e -> assertThat(e.sqlState()).hasValue("08003"))
                .hasMessage("this Benchmon is closed; open a new one with Benchmon.open()"));
    }
}
