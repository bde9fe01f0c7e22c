package dev.benchmon.server.support;

import dev.benchmon.server.ServerSettings;
import dev.benchmon.server.Tokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A {@link SharedServer} field holds a started server, before the class's {@code @BeforeAll}, with the settings its attributes name. */
class SharedServerTest {
    private static final String WRITE = "write-token-0123456789";
    private static final String READ = "read-token-0123456789";
    private static final String TRIAGE = "triage-token-0123456789";

    @SharedServer
    private static TestServer open;
    @SharedServer(writeToken = WRITE, readToken = READ, triageToken = TRIAGE, maxBodyBytes = 4096,
            maxResultsPerRequest = 7, bodyTimeoutSeconds = 2)
    private static TestServer guarded;
    private static String seededModel;

    @BeforeAll
    static void seed() {
        seededModel = "seeded-" + open.port();
        assertThat(open.postJson("/api/v1/results", "{\"model_version\":\"" + seededModel
                + "\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.5}}").statusCode()).isEqualTo(201);
    }

    @Test
    void a_field_without_attributes_holds_an_open_loopback_server_with_the_default_settings() {
        ServerSettings s = open.server().settings();

        assertThat(s.host()).isEqualTo("127.0.0.1");
        assertThat(s.tokens().readRequiresToken()).isFalse();
        assertThat(s.tokens().writeRequiresToken()).isFalse();
        assertThat(s.alerts().triageToken()).isNull();
        assertThat(s.maxBodyBytes()).isEqualTo(ServerSettings.DEFAULT_MAX_BODY_BYTES);
        assertThat(s.maxResultsPerRequest()).isEqualTo(ServerSettings.DEFAULT_MAX_RESULTS);
        assertThat(s.bodyTimeout()).isEqualTo(ServerSettings.DEFAULT_BODY_TIMEOUT);
    }

    @Test
    void the_attributes_are_the_server_settings() {
        ServerSettings s = guarded.server().settings();

        assertThat(s.tokens().accessOf(WRITE)).isEqualTo(Tokens.Access.WRITE);
        assertThat(s.tokens().accessOf(READ)).isEqualTo(Tokens.Access.READ);
        assertThat(s.alerts().triageToken()).isEqualTo(TRIAGE);
        assertThat(s.maxBodyBytes()).isEqualTo(4096);
        assertThat(s.maxResultsPerRequest()).isEqualTo(7);
        assertThat(s.bodyTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(guarded.get("/api/v1/history").statusCode()).isEqualTo(401);
    }

    @Test
    void each_field_has_its_own_server_and_database_started_before_the_before_all_methods() {
        assertThat(open.get("/api/v1/history").body()).contains(seededModel);
        assertThat(guarded.port()).isNotEqualTo(open.port());
        assertThat(guarded.databaseUrl()).isNotEqualTo(open.databaseUrl());
    }
}
