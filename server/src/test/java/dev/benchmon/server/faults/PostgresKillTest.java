package dev.benchmon.server.faults;

import dev.benchmon.Benchmon;
import dev.benchmon.server.BenchmonServer;
import dev.benchmon.server.ServerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of the embedded PostgreSQL's postmaster while clients push: the server answers 503 with
 * Retry-After (never 500) while it is down, the supervisor restarts it with crash recovery, and
 * every result the server acknowledged (201) is in the log exactly once, with no restart by hand.
 */
class PostgresKillTest {
    private static final int CLIENTS = 4;
    private static final int RESULTS_PER_CLIENT = 60;

    private Path home;
    private BenchmonServer server;
    private Benchmon benchmon;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws IOException {
        home = Files.createTempDirectory("benchmon-kill");
        benchmon = Benchmon.open(Map.of("BENCHMON_HOME", home.toString()));
        server = BenchmonServer.create(benchmon, ServerSettings.defaults().withPort(0)).start();
    }

    @AfterEach
    void stop() throws IOException {
        server.stop();
        try (Stream<Path> paths = Files.walk(home)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private HttpResponse<String> push(String key, int i) throws IOException, InterruptedException {
        String body = "{\"model_version\":\"kill-model\",\"dataset_version\":\"d\",\"idempotency_key\":\"" + key
                + "\",\"run_at\":\"2026-01-01T00:00:00Z\",\"metrics\":{\"f1\":" + (i % 100) / 100.0 + "}}";
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + "api/v1/results"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private long postmasterPid() throws IOException {
        Path pidFile = benchmon.database().embeddedServer().dataDirectory().resolve("postmaster.pid");
        return Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
    }

    @Test
    void every_acknowledged_push_is_stored_exactly_once_after_the_postmaster_is_killed_and_restarts_by_itself()
            throws Exception {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        CountDownLatch halfway = new CountDownLatch(CLIENTS);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            clients.add(pool.submit(() -> {
                for (int i = 0; i < RESULTS_PER_CLIENT; i++) {
                    if (i == RESULTS_PER_CLIENT / 4) {
                        halfway.countDown();
                    }
                    String key = "kill-" + client + "-" + i;
                    // As benchmon push does: retry 503 (and a dropped connection) with the same key.
                    for (int attempt = 0; attempt < 200; attempt++) {
                        int status;
                        try {
                            status = push(key, i).statusCode();
                        } catch (IOException dropped) {
                            status = -1;
                        }
                        statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                        if (status == 201) {
                            acknowledged.add(key);
                            break;
                        }
                        if (status != 503 && status != -1) {
                            break; // anything else is a failure the assertions below report
                        }
                        Thread.sleep(100);
                    }
                }
                return null;
            }));
        }
        halfway.await();
        long killed = postmasterPid();
        ProcessHandle.of(killed).orElseThrow().destroyForcibly(); // SIGKILL, as kill -9
        for (Future<?> f : clients) {
            f.get(10, TimeUnit.MINUTES);
        }
        pool.shutdown();

        assertThat(statuses.keySet()).as("statuses seen: %s", statuses).isSubsetOf(201, 503, -1);
        assertThat(acknowledged).hasSize(CLIENTS * RESULTS_PER_CLIENT);
        assertThat(benchmon.database().embeddedServer().restarts()).isGreaterThanOrEqualTo(1);
        assertThat(postmasterPid()).isNotEqualTo(killed);
        var health = http.send(HttpRequest.newBuilder(URI.create(server.url() + "health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);

        var pg = benchmon.database().embeddedServer();
        Map<String, Integer> copies = new HashMap<>();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("benchmon"), "postgres", pg.password());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT idempotency_key, count(*) FROM benchmark_transactions "
                     + "WHERE model_version = 'kill-model' GROUP BY 1")) {
            while (rs.next()) {
                copies.put(rs.getString(1), rs.getInt(2));
            }
        }
        // The log shows each key in its stored form (a UUID).
        assertThat(copies.keySet()).containsAll(acknowledged.stream().map(dev.benchmon.ingest.IdempotencyKeys::storedForm).toList());
        assertThat(copies.values()).allMatch(n -> n == 1);
    }
}
