package dev.benchmon.compare;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RunComparison#toString()} as JShell prints it: a short summary, not the record's every field. Results: "base"
 * and "cand" on "qa" in ci with accuracy 0.70 and 0.76 (stderr 0.01 each, n 1000) and a loss without stderr.
 */
class RunComparisonTextTest {
    @AutoClose
    private static Benchmon bm;
    private static RunComparison c;
    private static long a;
    private static long b;

    @BeforeAll
    static void compare() {
        bm = TestDatabases.fresh();
        Instant t = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        a = bm.record(BenchmarkResult.builder("base", "qa").environment("ci").runAt(t).metric("accuracy", 0.70)
                .stderr("accuracy", 0.01).metric("eval_loss", 1.2).build()).transactionId();
        b = bm.record(BenchmarkResult.builder("cand", "qa").environment("ci").runAt(t.plus(1, ChronoUnit.HOURS))
                .metric("accuracy", 0.76).stderr("accuracy", 0.01).metric("eval_loss", 1.1).build()).transactionId();
        c = bm.comparison(a, b, CompareOptions.defaults());
    }

    @Test
    void it_starts_on_a_new_line_naming_what_is_compared_with_what_in_the_header_lines_of_benchmon_compare() {
        List<String> lines = c.toString().lines().toList();

        assertThat(lines.get(0)).isEmpty();
        assertThat(lines.get(1)).isEqualTo("comparison " + a + " vs " + b);
        assertThat(lines.subList(2, 4)).containsExactly("A (reference): result id " + a + " (base on qa @ci)",
                "B: result id " + b + " (cand on qa @ci)");
    }

    @Test
    void a_judged_metric_reads_as_values_difference_interval_p_and_verdict() {
        assertThat(c.toString()).containsPattern("(?m)^  accuracy: A 0\\.7, B 0\\.76; B - A \\+0\\.06 "
                + "\\[\\+0\\.0[0-9]+, \\+0\\.0[0-9]+\\], p [<0-9.]+: B better$");
    }

    @Test
    void a_metric_nothing_judged_says_it_has_no_interval() {
        assertThat(c.toString()).contains("  eval_loss: A 1.2, B 1.1; B - A -0.1: no interval");
    }

    @Test
    void it_ends_saying_where_the_full_table_and_the_notes_are_instead_of_dumping_the_record() {
        assertThat(c.toString()).doesNotContain("RunComparison[").endsWith("summary() for the full table (method, "
                + "counts per side); notes(): " + c.notes().size());
        assertThat(c.summary().rowCount()).isEqualTo(2); // the accessors stay
    }
}
