package dev.benchmon.server.web;

import dev.benchmon.Benchmon;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.server.ServerContext;
import dev.benchmon.server.Tokens;
import io.javalin.Javalin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One embedded PostgreSQL per test JVM holding the demo history plus a small known data set, and
 * a dashboard on an ephemeral loopback port serving it.
 *
 * <p>Known data (environment {@code staging}, dataset {@code known-set}, prompt {@code p-1}), one run a day
 * for the last three days: {@code o'brien-<v2>} with f1 0.9, 0.9, 0.8 (an 11% regression) and latency_ms
 * 100, 100, 90; {@code <script>alert(1)</script>} with f1 0.7, 0.71, 0.72 and latency_ms 200, 210, 205.
 */
final class DashboardFixture {
    static final String STAGING = "staging";
    static final String OBRIEN = "o'brien-<v2>";
    static final String SCRIPT = "<script>alert(1)</script>";
    static final String OBRIEN_LAST_SHA = "0b0b0b0b12345678deadbeefdeadbeefdeadbeef";
    static final String OBRIEN_LAST_RUN = "run-\"7\"<&>";

    private static DashboardFixture shared;

    final Path dir;
    final Benchmon benchmon;
    final Javalin app;
    final String baseUrl;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private DashboardFixture(Path dir, Benchmon benchmon, Tokens tokens) {
        this.dir = dir;
        this.benchmon = benchmon;
        this.app = start(benchmon, tokens);
        this.baseUrl = "http://127.0.0.1:" + app.port();
    }

    /** The shared database with demo and known data, served without tokens. */
    static synchronized DashboardFixture shared() {
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory("benchmon-web-test");
                Benchmon bm = Benchmon.embedded(dir);
                bm.loadDemoData();
                bm.recordAll(knownResults(Instant.now().truncatedTo(ChronoUnit.MINUTES)));
                shared = new DashboardFixture(dir, bm, Tokens.none());
                Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** Another dashboard on the shared database, with these tokens (stop it after use). */
    static Javalin serve(Tokens tokens) {
        return start(shared().benchmon, tokens);
    }

    static Javalin start(Benchmon benchmon, Tokens tokens) {
        return Javalin.create(config -> Dashboard.register(config, new ServerContext(benchmon, tokens)))
                .start("127.0.0.1", 0);
    }

    static List<BenchmarkResult> knownResults(Instant now) {
        List<BenchmarkResult> out = new ArrayList<>();
        double[] obF1 = {0.9, 0.9, 0.8};
        double[] obLatency = {100, 100, 90};
        double[] scF1 = {0.7, 0.71, 0.72};
        double[] scLatency = {200, 210, 205};
        for (int i = 0; i < 3; i++) {
            Instant at = now.minus(Duration.ofDays(3 - i)).plus(Duration.ofHours(1));
            out.add(BenchmarkResult.builder(OBRIEN, "known-set").promptVersion("p-1").environment(STAGING)
                    .runAt(at).metric("f1", obF1[i]).metric("latency_ms", obLatency[i])
                    .commitSha(i == 2 ? OBRIEN_LAST_SHA : "0b0b0b0b0000000000000000000000000000000" + i)
                    .runId(i == 2 ? OBRIEN_LAST_RUN : "run-" + i).idempotencyKey("known-ob-" + i).build());
            out.add(BenchmarkResult.builder(SCRIPT, "known-set").promptVersion("p-1").environment(STAGING)
                    .runAt(at.plusSeconds(60)).metric("f1", scF1[i]).metric("latency_ms", scLatency[i])
                    .commitSha("5c5c5c5c0000000000000000000000000000000" + i).runId("sc-" + i)
                    .notes("<b>not bold</b>").idempotencyKey("known-sc-" + i).build());
        }
        return out;
    }

    /** GET {@code path} (relative to the server) without following redirects. */
    HttpResponse<String> get(String path, String... headers) {
        return getAt(baseUrl, path, headers);
    }

    HttpResponse<String> getAt(String base, String path, String... headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
            if (headers.length > 0) {
                b.headers(headers);
            }
            return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** POST a form to {@code path} without following redirects. */
    HttpResponse<String> postForm(String base, String path, String form, String... headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-www-form-urlencoded");
            if (headers.length > 0) {
                b.headers(headers);
            }
            return http.send(b.POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void close() {
        app.stop();
        benchmon.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temp folder
        }
    }
}
