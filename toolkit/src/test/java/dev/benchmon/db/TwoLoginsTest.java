package dev.benchmon.db;

import dev.benchmon.Benchmon;
import dev.benchmon.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A URL that carries a login and a variable (or argument) that gives another: the driver would use the URL's and
 * ignore the other without a word, so the two are refused unless they agree.
 */
class TwoLoginsTest {
    @Test
    void a_url_user_other_than_benchmon_db_user_is_refused_naming_both_and_what_to_do() {
        assertThatThrownBy(() -> ConnectionSettings.fromEnvironment(Map.of(
                "BENCHMON_DB_URL", "jdbc:postgresql://db:5432/bm?user=alice", "BENCHMON_DB_USER", "bob")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("BENCHMON_DB_URL names the user 'alice' and BENCHMON_DB_USER names the user 'bob'")
                .hasMessageContaining("remove it from the URL, or unset BENCHMON_DB_USER");
    }

    @Test
    void a_url_password_other_than_benchmon_db_password_is_refused_without_showing_either() {
        assertThatThrownBy(() -> ConnectionSettings.fromEnvironment(Map.of(
                "BENCHMON_DB_URL", "jdbc:postgresql://db:5432/bm?user=alice&password=urlSECRET",
                "BENCHMON_DB_USER", "alice", "BENCHMON_DB_PASSWORD", "envSECRET")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("BENCHMON_DB_URL carries a password and BENCHMON_DB_PASSWORD gives another")
                .hasMessageContaining("unset BENCHMON_DB_PASSWORD")
                .hasMessageNotContaining("SECRET");
    }

    @Test
    void the_same_login_in_the_url_and_the_variables_is_accepted() {
        ConnectionSettings s = ConnectionSettings.fromEnvironment(Map.of(
                "BENCHMON_DB_URL", "jdbc:postgresql://db:5432/bm?user=alice&password=pw",
                "BENCHMON_DB_USER", "alice", "BENCHMON_DB_PASSWORD", "pw"));
        assertThat(s.user()).isEqualTo("alice");
        assertThat(s.password()).isEqualTo("pw");
    }

    @Test
    void empty_login_variables_leave_the_login_the_url_carries() {
        // BENCHMON_DB_USER= (an environment file's empty line) was sent as an empty user name, overriding the URL's.
        Map<String, String> env = Map.of("BENCHMON_DB_URL", "postgres://alice:pw@db:5432/bm", "BENCHMON_DB_USER", "",
                "BENCHMON_DB_PASSWORD", "", "BENCHMON_DB_READ_URL", "postgres://alice:pw@replica:5432/bm");

        for (ConnectionSettings s : List.of(ConnectionSettings.fromEnvironment(env), ConnectionSettings.readFromEnvironment(env))) {
            assertThat(s.user()).as(s.toString()).isEqualTo("alice");
            assertThat(s.password()).as(s.toString()).isEqualTo("pw");
        }
    }

    @Test
    void an_at_sign_in_a_postgres_urls_query_is_no_password_cut_short() {
        // Azure's user@server logins: only an '@' in the path or after a '#' is a password's, cut short.
        ConnectionSettings s = ConnectionSettings.fromEnvironment(Map.of(
                "BENCHMON_DB_URL", "postgres://db:5432/bm?user=alice@corp&application_name=ci@runner"));
        assertThat(s.urlProperty("user")).isEqualTo("alice@corp");
        assertThat(s.urlProperty("PGHOST")).isEqualTo("db");
    }

    @Test
    void the_user_of_a_postgres_url_other_than_benchmon_db_user_is_refused_too() {
        // There the variable would have won silently: the URL's user was dropped.
        assertThatThrownBy(() -> ConnectionSettings.fromEnvironment(Map.of(
                "BENCHMON_DB_URL", "postgres://alice:pw@db:5432/bm", "BENCHMON_DB_USER", "bob")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("BENCHMON_DB_URL names the user 'alice' and BENCHMON_DB_USER names the user 'bob'");
    }

    @Test
    void a_read_url_user_other_than_the_read_login_is_refused_naming_the_variable_it_came_from() {
        assertThatThrownBy(() -> ConnectionSettings.readFromEnvironment(Map.of(
                "BENCHMON_DB_READ_URL", "jdbc:postgresql://replica/bm?user=reader", "BENCHMON_DB_READ_USER", "other")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("BENCHMON_DB_READ_URL names the user 'reader' and BENCHMON_DB_READ_USER names the user 'other'")
                .hasMessageContaining("unset BENCHMON_DB_READ_USER").hasMessageNotContaining("BENCHMON_DB_USER ");
    }

    @Test
    void a_read_url_user_without_a_read_login_connects_as_the_urls_user_not_the_primarys() {
        ConnectionSettings read = ConnectionSettings.readFromEnvironment(Map.of(
                "BENCHMON_DB_READ_URL", "jdbc:postgresql://replica/bm?user=reader", "BENCHMON_DB_USER", "app",
                "BENCHMON_DB_PASSWORD", "app-pw"));

        assertThat(read.jdbcUrl()).isEqualTo("jdbc:postgresql://replica/bm?user=reader");
        assertThat(read.user()).as("none handed over: the URL's user= connects").isNull();
        assertThat(read.password()).as("not the primary login's").isNull();
    }

    @Test
    void a_read_url_without_a_login_takes_the_primarys() {
        ConnectionSettings read = ConnectionSettings.readFromEnvironment(Map.of(
                "BENCHMON_DB_READ_URL", "jdbc:postgresql://replica/bm", "BENCHMON_DB_USER", "app",
                "BENCHMON_DB_PASSWORD", "app-pw"));

        assertThat(List.of(read.user(), read.password())).containsExactly("app", "app-pw");
    }

    @Test
    void a_url_user_other_than_the_user_passed_to_connect_is_refused_before_connecting() {
        assertThatThrownBy(() -> Benchmon.connect("jdbc:postgresql://127.0.0.1:1/bm?user=alice", "bob", null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("the database URL names the user 'alice' and the user given names the user 'bob'");
    }

    @Test
    void the_owner_login_replaces_the_urls_whole_and_is_no_conflict() {
        // BENCHMON_DB_OWNER_USER is another login on purpose: the URL's login is the app's, and none of it may stay
        // in the owner's URL (the driver would let the app's password win over the owner's).
        ConnectionSettings owner = ConnectionSettings.ownerFromEnvironment(Map.of(
                "BENCHMON_DB_URL", "jdbc:postgresql://db:5432/bm?user=app&password=apw&sslmode=require",
                "BENCHMON_DB_OWNER_USER", "owner", "BENCHMON_DB_OWNER_PASSWORD", "opw"));
        assertThat(owner.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/bm?sslmode=require");
        assertThat(owner.user()).isEqualTo("owner");
        assertThat(owner.password()).isEqualTo("opw");
    }
}
