package dev.benchmon.db;

import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.RegressionOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import static dev.benchmon.support.Results.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The toolkit on a stock PostgreSQL 13 (the oldest supported) in a container. Needs Docker; runs only
 * with {@code ./mvnw -Ptestcontainers verify} (GitHub's runners have Docker; this machine does not).
 */
@Tag("testcontainers")
@Testcontainers
class TestcontainersPostgresTest {
    @Container
    static final PostgreSQLContainer<?> POSTGRES = new PostgreSQLContainer<>("postgres:13-alpine");

    @Test
    void the_schema_applies_and_results_round_trip_on_postgresql_13() {
        try (Benchmon bm = Benchmon.connect(POSTGRES.getJdbcUrl(), POSTGRES.getUsername(), POSTGRES.getPassword())) {
            for (int i = 0; i < 5; i++) {
                bm.record(result("m", "d", i, i < 4 ? 0.9 : 0.7, 100));
            }
            assertThat(bm.latestSnapshots().doubleColumn("f1").get(0)).isEqualTo(0.7);
            assertThat(bm.detectRegressions(Filter.all(), RegressionOptions.defaults().withOnlyRegressions(true))
                    .stringColumn("metric").asList()).containsExactly("f1");
        }
    }
}
