package dev.benchmon.server.cli;

import dev.benchmon.server.support.ChildJvm;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code benchmon serve --demo} as a real process: URL logged, demo content served, SIGTERM stops it cleanly. */
class ServeProcessTest {
    private static final Pattern URL = Pattern.compile("running at (http://\\S+/)");

    @Test
    void aPublicBindWithAWriteTokenButNoReadTokenWarnsThatReadsArePublicAndThatLinksSayLocalhost() throws Exception {
        ProcessBuilder pb = serve("--host", "0.0.0.0", "--port", "0", "--db", TestServer.freshDatabaseUrlWithCredentials());
        pb.environment().put("BENCHMON_WRITE_TOKEN", "write-token-for-the-test");
        pb.environment().remove("BENCHMON_READ_TOKEN");
        pb.environment().remove("BENCHMON_PUBLIC_URL");
        assertThat(logUntilRunning(pb)).contains("running at", "no read token: anyone who can reach 0.0.0.0 can read every result",
                        "listening on every interface (0.0.0.0) without --public-url: links in alerts, notifications and "
                                + "the output of benchmon push will say http://localhost:", "pass --public-url")
                .doesNotContain("write-token-for-the-test");
    }

    @Test
    void aReadOnlyServerMayListenOnEveryInterfaceAndAPublicUrlSilencesTheLocalhostWarning() throws Exception {
        ProcessBuilder pb = serve("--host", "0.0.0.0", "--port", "0", "--public-url", "https://benchmon.example.com/",
                "--db", TestServer.freshDatabaseUrlWithCredentials());
        pb.environment().remove("BENCHMON_WRITE_TOKEN");
        pb.environment().put("BENCHMON_READ_TOKEN", "read-token-only-for-the-test");
        assertThat(logUntilRunning(pb)).contains("running at", "READ-ONLY")
                .doesNotContain("refusing", "without --public-url", "read-token-only-for-the-test");
    }

    @Test
    void aPublicUrlIsWhereTheStartUpLogSaysBenchmonIsRunningBesideTheAddressBound() throws Exception {
        ProcessBuilder pb = serve("--host", "0.0.0.0", "--port", "0", "--public-url", "http://bench.local:7401/",
                "--db", TestServer.freshDatabaseUrlWithCredentials());
        pb.environment().put("BENCHMON_READ_TOKEN", "read-token-only-for-the-test");
        assertThat(logUntilRunning(pb)).contains("benchmon is running at http://bench.local:7401/ (listening on 0.0.0.0:",
                        "API under http://bench.local:7401/api/v1")
                .doesNotContain("running at http://localhost");
    }

    @Test
    void aTriageTokenWithoutWriteOrReadTokensWarnsThatPushesAndReadsAreOpenButTriageIsNot() throws Exception {
        ProcessBuilder pb = serve("--port", "0", "--db", TestServer.freshDatabaseUrlWithCredentials());
        pb.environment().remove("BENCHMON_WRITE_TOKEN");
        pb.environment().remove("BENCHMON_READ_TOKEN");
        pb.environment().put("BENCHMON_TRIAGE_TOKEN", "triage-token-for-the-test");
        assertThat(logUntilRunning(pb)).contains("running at", "no write or read token configured: pushes and reads are "
                        + "open to anyone on this machine (loopback only); triage needs BENCHMON_TRIAGE_TOKEN")
                .doesNotContain("no tokens configured", "triage-token-for-the-test");
    }

    @Test
    void aShortTokenIsRefusedOnEveryInterfaceAndOnlyWarnedAboutOnLoopback() throws Exception {
        ProcessBuilder refused = serve("--host", "0.0.0.0", "--port", "0", "--db", TestServer.freshDatabaseUrlWithCredentials());
        refused.environment().put("BENCHMON_WRITE_TOKEN", "Zq7shrt");
        Process process = refused.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(out).contains("refusing to listen on 0.0.0.0: the write token (BENCHMON_WRITE_TOKEN",
                "shorter than 16 characters").doesNotContain("Zq7shrt");

        ProcessBuilder loopback = serve("--port", "0", "--db", TestServer.freshDatabaseUrlWithCredentials());
        loopback.environment().put("BENCHMON_WRITE_TOKEN", "Zq7shrt");
        assertThat(logUntilRunning(loopback)).contains("running at", "the write token (BENCHMON_WRITE_TOKEN",
                "shorter than 16 characters").doesNotContain("Zq7shrt");
    }

    @Test
    void aShortTriageTokenIsRefusedOnEveryInterfaceAndOnlyWarnedAboutOnLoopback() throws Exception {
        ProcessBuilder refused = serve("--host", "0.0.0.0", "--port", "0", "--db", TestServer.freshDatabaseUrlWithCredentials());
        refused.environment().put("BENCHMON_WRITE_TOKEN", "write-token-for-the-test");
        refused.environment().put("BENCHMON_TRIAGE_TOKEN", "Tr1shrt");
        // A file, not a pipe read to its end: a server that wrongly starts must fail the test, not hang it.
        Path output = Files.createTempFile("benchmon-serve", ".log");
        refused.redirectOutput(output.toFile());
        Process process = refused.start();
        boolean stopped = process.waitFor(60, TimeUnit.SECONDS);
        if (!stopped) {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        String out = Files.readString(output);
        assertThat(stopped).as("serve refused to start: " + out).isTrue();
        assertThat(process.exitValue()).as(out).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(out).contains("refusing to listen on 0.0.0.0: the triage token (BENCHMON_TRIAGE_TOKEN) is shorter "
                + "than 16 characters").doesNotContain("Tr1shrt");

        ProcessBuilder loopback = serve("--port", "0", "--db", TestServer.freshDatabaseUrlWithCredentials());
        loopback.environment().put("BENCHMON_WRITE_TOKEN", "write-token-for-the-test");
        loopback.environment().put("BENCHMON_TRIAGE_TOKEN", "Tr1shrt");
        assertThat(logUntilRunning(loopback)).contains("running at", "the triage token (BENCHMON_TRIAGE_TOKEN) is shorter "
                + "than 16 characters").doesNotContain("Tr1shrt");
    }

    /** Starts {@code serve}, returns its output once it says "running at" (or stopped, or 60 s passed), and stops it. */
    static String logUntilRunning(ProcessBuilder pb) throws Exception {
        Path output = Files.createTempFile("benchmon-serve", ".log");
        pb.redirectOutput(output.toFile());
        Process process = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(output).contains("running at") && System.nanoTime() < deadline && process.isAlive()) {
                Thread.sleep(100);
            }
            return Files.readString(output);
        } finally {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
            process.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }

    @Test
    void aTakenPortIsInvalidInputNamingTheAddressNotAnUnexpectedFailure() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Process process = serve("--port", String.valueOf(taken.getLocalPort()), "--db",
                    TestServer.freshDatabaseUrlWithCredentials()).start();
            String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(out).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(out).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort(), "choose another --port")
                    .doesNotContain("unexpected failure");
        }
    }

    @Test
    void aTakenPortIsReportedBeforeAFirstStartCreatesItsEmbeddedDatabase() throws Exception {
        Path home = Files.createTempDirectory("bm-taken-port");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Process process = serve("--port", String.valueOf(taken.getLocalPort()), "--home", home.toString()).start();
            String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(out).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(out).contains("choose another --port").doesNotContain("schema", "Failed to start");
            try (var files = Files.list(home)) {
                assertThat(files).as("the home folder").isEmpty();
            }
        } finally {
            try (var walk = Files.walk(home)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aHostThatIsNotAnAddressOfThisMachineIsNamedAsTheHostNotAsATakenPort() throws Exception {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine.
        ProcessBuilder pb = serve("--host", "192.0.2.1", "--port", "0", "--db", TestServer.freshDatabaseUrlWithCredentials());
        pb.environment().put("BENCHMON_WRITE_TOKEN", "write-token-for-the-test");
        pb.environment().put("BENCHMON_READ_TOKEN", "read-token-for-the-test");
        Process process = pb.start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(out).contains("cannot listen on 192.0.2.1: --host is not an address of this machine")
                .doesNotContain("choose another --port", "schema");
    }

    /** {@code benchmon serve ARGS} as a child JVM on this test's class path, stderr merged into stdout. */
    static ProcessBuilder serve(String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, ChildJvm.C1_ONLY, ChildJvm.SERIAL_GC, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true);
    }

    /** The output of {@code benchmon serve ARGS} on a fresh database, which must refuse to start (exit 2, not running). */
    static String refusedAtStart(String... args) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--port", "0", "--db", TestServer.freshDatabaseUrlWithCredentials()));
        Process process = serve(all.toArray(String[]::new)).start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(out).doesNotContain("running at");
        return out;
    }

    @Test
    void serveDemoServesAGeneratedHistoryAndStopsOnSigterm() throws Exception {
        ProcessBuilder pb = serve("--demo", "--port", "0", "--db", TestServer.freshDatabaseUrlWithCredentials());
        // A file, not a pipe: output written during shutdown must not be lost when the process exits.
        Path output = Files.createTempFile("benchmon-serve", ".log");
        pb.redirectOutput(output.toFile());
        Process process = pb.start();
        java.util.function.Supplier<List<String>> log = () -> {
            try {
                return Files.readAllLines(output);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        try {
            String url = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (url == null && System.nanoTime() < deadline && process.isAlive()) {
                {
                    for (String line : log.get()) {
                        Matcher m = URL.matcher(line);
                        if (m.find()) {
                            url = m.group(1);
                        }
                    }
                }
                Thread.sleep(100);
            }
            assertThat(url).as(String.join("\n", log.get())).isNotNull();
            assertThat(String.join("\n", log.get())).contains("loaded", "demo results");

            HttpClient http = HttpClient.newHttpClient();
            String meta = http.send(HttpRequest.newBuilder(URI.create(url + "api/v1/meta")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(meta).contains("\"ci\"", "\"production\"");
            String regressions = http.send(HttpRequest.newBuilder(URI.create(url + "api/v1/regressions?only_regressions=true")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(regressions).doesNotContain("\"regressions_found\":0");

            process.destroy(); // SIGTERM
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(String.join("\n", log.get())).contains("shutdown requested", "benchmon stopped");
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }
}
