package dev.benchmon.server.cli;

import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code serve --settings-file} as a user writes it, typos included, read by a real server process. */
class SettingsFileTest {
    @TempDir
    Path dir;

    @Test
    void a_key_it_does_not_know_is_refused_at_start_naming_it_and_the_keys_it_reads() throws Exception {
        Path file = Files.writeString(dir.resolve("alerts.properties"),
                "BENCHMON_WEBHOK_URL=http://127.0.0.1:9/hooks\nBENCHMON_PUBLIC_URL=http://bench.local:7401/\n");
        String out = ServeProcessTest.refusedAtStart("--settings-file", file.toString());

        assertThat(out).contains("error: the settings file " + file + " has a key benchmon does not know: "
                        + "BENCHMON_WEBHOK_URL; the keys it reads are BENCHMON_WEBHOOK_URL, BENCHMON_WEBHOOK_SECRET, "
                        + "BENCHMON_SLACK_WEBHOOK_URL, BENCHMON_TRIAGE_TOKEN, BENCHMON_REPO_URL, BENCHMON_CI_URL, "
                        + "BENCHMON_PUBLIC_URL, BENCHMON_NOTIFY_RESOLVED")
                .doesNotContain("running at");
    }

    @Test
    void a_public_url_without_its_scheme_is_refused_at_start_as_links_from_it_would_lead_nowhere() throws Exception {
        Path file = Files.writeString(dir.resolve("alerts.properties"), "BENCHMON_PUBLIC_URL=benchmon.example.com\n");

        assertThat(ServeProcessTest.refusedAtStart("--settings-file", file.toString())).contains("error: the public URL "
                + "(--public-url or BENCHMON_PUBLIC_URL) must be an http:// or https:// URL with a host, e.g. "
                + "https://benchmon.example.com, got 'benchmon.example.com/'");
        assertThat(ServeProcessTest.refusedAtStart("--public-url", "bench.local:7401")).contains("error: the public URL");
    }

    @Test
    void the_public_url_flag_replaces_a_bad_variable_and_a_host_with_an_underscore_is_a_host() throws Exception {
        // Flags first: a BENCHMON_PUBLIC_URL without its scheme must not stop --public-url; compose names services
        // with '_', which java.net.URI reads as no host.
        ProcessBuilder pb = ServeProcessTest.serve("--port", "0", "--public-url", "http://benchmon_web:7401/",
                "--db", TestServer.freshDatabaseUrlWithCredentials());
        pb.environment().put("BENCHMON_PUBLIC_URL", "benchmon.example.com");

        assertThat(ServeProcessTest.logUntilRunning(pb)).contains("benchmon is running at http://benchmon_web:7401/")
                .doesNotContain("must be an http");
    }

    @Test
    void a_notify_resolved_other_than_true_or_false_is_refused_at_start() throws Exception {
        Path file = Files.writeString(dir.resolve("alerts.properties"), "BENCHMON_NOTIFY_RESOLVED=yes\n");

        assertThat(ServeProcessTest.refusedAtStart("--settings-file", file.toString()))
                .contains("error: BENCHMON_NOTIFY_RESOLVED must be true or false, got 'yes'");
    }
}
