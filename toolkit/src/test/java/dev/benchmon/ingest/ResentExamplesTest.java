package dev.benchmon.ingest;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.RecordOutcome;
import dev.benchmon.ValidationException;
import dev.benchmon.support.TestDatabases;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Results re-sent with examples: checked against the stored examples of the whole chunk at once. */
class ResentExamplesTest {
    @AutoClose
    private final Benchmon bm = TestDatabases.fresh();
    /** Statements that read stored examples back, counted on benchmon's own Jdbi (the writer's). */
    private final AtomicInteger exampleReads = new AtomicInteger();

    @BeforeEach
    void countExampleReads() {
        bm.jdbi().setSqlLogger(new SqlLogger() {
            @Override
            public void logAfterExecution(StatementContext ctx) {
                if (ctx.getRenderedSql().contains("v_example_outcomes")) {
                    exampleReads.incrementAndGet();
                }
            }
        });
    }

    private static BenchmarkResult run(int i, double scoreOfQ1) {
        return BenchmarkResult.builder("m", "qa").runId("ci-" + i).metric("accuracy", 0.5)
                .example("q0", 1).example("q1", scoreOfQ1).build();
    }

    private static List<BenchmarkResult> runs(int count) {
        return IntStream.range(0, count).mapToObj(i -> run(i, 0)).toList();
    }

    @Test
    void re_sending_many_results_with_their_examples_reads_the_stored_examples_in_one_statement() {
        bm.recordAll(runs(5));
        exampleReads.set(0);

        List<RecordOutcome> again = bm.recordAll(runs(5));

        assertThat(again).extracting(RecordOutcome::created).containsOnly(false);
        assertThat(exampleReads).hasValue(1);
    }

    @Test
    void re_sending_results_of_which_some_changed_their_examples_refuses_exactly_those_in_one_statement() {
        List<RecordOutcome> first = bm.recordAll(runs(5));
        exampleReads.set(0);
        List<BenchmarkResult> changed = List.of(run(0, 0), run(1, 1), run(2, 0), run(3, 1), run(4, 0));

        assertThatThrownBy(() -> bm.recordAll(changed))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems())
                        .extracting(ValidationException.Problem::index, ValidationException.Problem::field)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "examples"),
                                org.assertj.core.groups.Tuple.tuple(3, "examples")))
                .hasMessageContaining("result id " + first.get(1).transactionId() + " (")
                .hasMessageContaining("kept as first stored (2 item(s))");
        assertThat(exampleReads).hasValue(1);
    }

    @Test
    void a_result_stored_without_examples_takes_those_it_is_re_sent_with() {
        BenchmarkResult bare = BenchmarkResult.builder("m", "qa").runId("bare").metric("accuracy", 0.5).build();
        RecordOutcome first = bm.record(bare);

        List<RecordOutcome> again = bm.recordAll(List.of(run(0, 0), bare.toBuilder().example("q0", 1).build()));

        List<String> items = bm.jdbi().withHandle(h -> h.createQuery("SELECT item_key || '=' || score FROM "
                + "v_example_outcomes WHERE transaction_id = :id").bind("id", first.transactionId()).mapTo(String.class).list());
        assertThat(again.get(1).created()).isFalse();
        assertThat(again.get(1).transactionId()).isEqualTo(first.transactionId());
        assertThat(items).containsExactly("q0=1");
    }

    @Test
    void a_result_completed_with_examples_refuses_other_examples_after_them() {
        BenchmarkResult bare = BenchmarkResult.builder("m", "qa").runId("bare").metric("accuracy", 0.5).build();
        bm.record(bare);
        bm.record(bare.toBuilder().example("q0", 1).build());

        assertThatThrownBy(() -> bm.record(bare.toBuilder().example("q0", 0).build()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("kept as first stored (1 item(s))");
    }
}
