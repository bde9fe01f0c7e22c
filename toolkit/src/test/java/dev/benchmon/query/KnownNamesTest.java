package dev.benchmon.query;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.UnknownNameException;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The check that a read's names exist ({@link Catalog#requireKnown}) runs its statement only for names it has not
 * found known before: series names stay known (a series is never deleted), metric names do not (they are known
 * through a series' latest result). Statements are counted by a Jdbi of their own over the database's pool, given
 * to the catalog under test.
 */
class KnownNamesTest {
    private static final Instant T = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    @AutoClose // after the class's last test
    private static Benchmon bm;
    private final AtomicInteger statements = new AtomicInteger();
    private Catalog catalog;

    @BeforeAll
    static void load() {
        bm = TestDatabases.fresh();
        bm.recordAll(List.of(BenchmarkResult.builder("m1", "d1").environment("ci").runAt(T).metric("f1", 0.8).build()));
    }

    @BeforeEach
    void countingCatalog() {
        catalog = CountingCatalog.of(bm, statements);
    }

    @Test
    void asking_for_the_names_of_a_kind_that_does_not_exist_lists_the_kinds_that_do() {
        assertThatThrownBy(() -> bm.knownNames("modle"))
                .isInstanceOfSatisfying(UnknownNameException.class, e -> {
                    assertThat(e.kind()).isEqualTo("kind of name");
                    assertThat(e.name()).isEqualTo("modle");
                })
                .hasMessage("unknown kind of name 'modle' (known: environment, model, dataset, prompt, provider, metric, tag)");
        assertThat(bm.knownNames("model")).contains("m1");
    }

    @Test
    void series_names_found_known_once_are_not_looked_up_again() {
        Filter oneSeries = Filter.model("m1").withDatasets("d1").withEnvironments("ci");
        catalog.requireKnown(oneSeries);
        catalog.requireKnown(oneSeries);
        assertThat(statements).hasValue(1);
    }

    @Test
    void metric_names_are_looked_up_every_time() {
        Filter withMetric = Filter.model("m1").withMetrics(List.of("f1"));
        catalog.requireKnown(withMetric);
        catalog.requireKnown(withMetric);
        assertThat(statements).hasValue(2);
    }

    @Test
    void a_name_found_unknown_stays_unknown_until_its_series_arrives() {
        assertThatThrownBy(() -> catalog.requireKnown(Filter.model("m2")))
                .isInstanceOf(UnknownNameException.class).hasMessageStartingWith("unknown model 'm2'");
        assertThatThrownBy(() -> catalog.requireKnown(Filter.model("m2")))
                .isInstanceOf(UnknownNameException.class).hasMessageStartingWith("unknown model 'm2'");
        bm.recordAll(List.of(BenchmarkResult.builder("m2", "d1").environment("ci").runAt(T).metric("f1", 0.7).build()));
        catalog.requireKnown(Filter.model("m2"));
    }

    @Test
    void a_known_name_beside_an_unknown_one_does_not_make_the_unknown_one_known() {
        assertThatThrownBy(() -> catalog.requireKnown(Filter.model("ghost").withEnvironments("ci")))
                .isInstanceOf(UnknownNameException.class).hasMessageStartingWith("unknown model 'ghost'");
        assertThatThrownBy(() -> catalog.requireKnown(Filter.model("ghost")))
                .isInstanceOf(UnknownNameException.class).hasMessageStartingWith("unknown model 'ghost'");
    }
}
