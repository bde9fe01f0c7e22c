package dev.benchmon.db;

import dev.benchmon.Benchmon;
import dev.benchmon.MetricDefinition;
import dev.benchmon.MinEffect;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V24 (a metric's minimum effect may be relative to the baseline) keeps a version 23 database's definitions as they
 * were, and a definition then states one minimum effect at a time. Each test upgrades a database of its own.
 */
class RelativeMinEffectMigrationTest {
    private static final String EFFECTS = "SELECT min_effect, relative_min_effect FROM metric_definitions WHERE name = 'f1'";

    /** A version 23 database where f1 has a minimum effect of 0.01 in its unit. */
    private static String upgradedVersion23Database() throws IOException, SQLException {
        return OldSchemas.upgradedFrom(23, st -> st.execute("UPDATE metric_definitions SET min_effect = 0.01 WHERE name = 'f1'"));
    }

    @Test
    void an_existing_minimum_effect_stays_in_the_metrics_unit() throws IOException, SQLException {
        String url = upgradedVersion23Database();

        assertThat(OldSchemas.rows(url, EFFECTS)).containsExactly("0.01 | null");
    }

    @Test
    void a_percentage_declared_afterwards_replaces_the_number_and_the_number_the_percentage() throws IOException, SQLException {
        String url = upgradedVersion23Database();
        MetricDefinition f1 = MetricDefinition.of("f1", dev.benchmon.MetricDirection.HIGHER_IS_BETTER);
        try (Benchmon bm = OldSchemas.open(url)) {
            bm.defineMetrics(f1.withMinEffect(MinEffect.parse("min_effect", "2%")));
            assertThat(OldSchemas.rows(url, EFFECTS)).containsExactly("null | 0.02");
            assertThat(bm.detection().definitions().get("f1").statedMinEffect()).hasToString("2%");

            bm.defineMetrics(f1); // stating none keeps the one defined
            assertThat(OldSchemas.rows(url, EFFECTS)).containsExactly("null | 0.02");

            bm.defineMetrics(f1.withMinEffect(MinEffect.parse("min_effect", "0.5")));
        }
        assertThat(OldSchemas.rows(url, EFFECTS)).containsExactly("0.5 | null");
    }
}
