package dev.benchmon.db;

import dev.benchmon.Benchmon;
import dev.benchmon.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code BENCHMON_DB_READ_URL} and its login, as {@code Benchmon.open(env)} reads them. */
class ReadSettingsTest {
    @Test
    void without_a_read_url_there_is_no_read_database() {
        assertThat(ConnectionSettings.readFromEnvironment(Map.of("BENCHMON_DB_URL", "jdbc:postgresql://p/db"))).isNull();
        assertThat(ConnectionSettings.readFromEnvironment(Map.of("BENCHMON_DB_READ_URL", "  "))).isNull();
    }

    @Test
    void the_read_url_takes_the_primarys_login_unless_it_has_its_own() {
        ConnectionSettings same = ConnectionSettings.readFromEnvironment(Map.of("BENCHMON_DB_READ_URL",
                "jdbc:postgresql://replica:5432/db", "BENCHMON_DB_USER", "app", "BENCHMON_DB_PASSWORD", "pw"));
        assertThat(same.jdbcUrl()).isEqualTo("jdbc:postgresql://replica:5432/db");
        assertThat(same.user()).isEqualTo("app");
        assertThat(same.password()).isEqualTo("pw");
        ConnectionSettings own = ConnectionSettings.readFromEnvironment(Map.of("BENCHMON_DB_READ_URL",
                "postgres://replica:5432/db", "BENCHMON_DB_USER", "app", "BENCHMON_DB_PASSWORD", "pw",
                "BENCHMON_DB_READ_USER", "reader", "BENCHMON_DB_READ_PASSWORD", "rpw"));
        assertThat(own.jdbcUrl()).isEqualTo("jdbc:postgresql://replica:5432/db");
        assertThat(own.user()).isEqualTo("reader");
        assertThat(own.password()).isEqualTo("rpw");
        assertThat(own.toString()).doesNotContain("rpw");
    }

    @Test
    void a_read_url_without_a_primary_url_is_refused_before_the_embedded_database_starts(@TempDir Path home) {
        // the embedded database would take the writes, and reads would come from a database that never sees them
        assertThatThrownBy(() -> Benchmon.open(Map.of("BENCHMON_HOME", home.toString(),
                "BENCHMON_DB_READ_URL", "postgres://reader:rpw@replica:5432/db")).close())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("BENCHMON_DB_READ_URL is set but BENCHMON_DB_URL is not")
                .hasMessageNotContaining("rpw");
        assertThat(Files.exists(home.resolve("pgdata"))).isFalse();
    }
}
