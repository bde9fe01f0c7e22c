package dev.benchmon.db;

import dev.benchmon.Benchmon;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The login a database handle names (the server's warning about a privileged login prints it). */
class LoginNameTest {
    @Test
    void a_login_given_only_in_the_url_is_named_as_the_database_names_it() {
        String url = TestDatabases.freshDatabaseUrl();
        String withLogin = url + (url.contains("?") ? "&" : "?") + "user=" + TestDatabases.user()
                + (TestDatabases.password() == null ? "" : "&password=" + TestDatabases.password());
        try (Benchmon bm = Benchmon.connect(withLogin, null, null)) {
            assertThat(bm.database().settings().user()).isNull(); // the settings leave it to the URL
            assertThat(bm.database().login()).isEqualTo(TestDatabases.user());
        }
    }
}
