package dev.benchmon.server.benchmarks;

import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The push endpoint under load, on loopback, against the embedded database, each row beside the raw
 * database doing the same in the same run: single-result POSTs from 8 clients against 8 JDBC clients each
 * committing one INSERT (the storage ceiling: one fsync'd commit each), and the batched push against COPY of
 * the same rows into a plain table. Nothing is asserted against a clock. Issue 9's targets: single POSTs
 * at least 0.5x the raw commit rate with p99 under 25 ms; batched push at least 0.3x COPY.
 *
 * <p>Run: {@code ./mvnw -B -o -pl server -am -Pbenchmarks test -Dtest=PushBenchmark -Dsurefire.failIfNoSpecifiedTests=false};
 * sizes: {@code -Dbenchmon.push.requests=1000} POSTs per client, {@code -Dbenchmon.push.batch=100000} results
 * pushed in requests of 10,000.
 */
@Tag("benchmark")
class PushBenchmark {
    private static final int CLIENTS = 8;
    private final int requestsPerClient = Integer.getInteger("benchmon.push.requests", 1_000);
    private final int batchResults = Integer.getInteger("benchmon.push.batch", 100_000);

    @Test
    void push_throughput_and_latency() throws Exception {
        try (TestServer server = TestServer.start()) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI results = URI.create(server.url() + "api/v1/results");
            var ds = server.benchmon().database().dataSource();
            server.benchmon().jdbi().useHandle(h -> h.execute(
                    "CREATE TABLE commit_baseline (model_version text, dataset_version text, environment text, run_id text, metrics jsonb)"));

            // Warm-up: JIT, pool, plans.
            Load.measure(CLIENTS, 50, i -> send(http, post(results, single("warm", i))));
            Load.measure(CLIENTS, 50, i -> rawInsert(ds, "warm", i));

            Load.Stats raw = Load.measure(CLIENTS, requestsPerClient, i -> rawInsert(ds, "raw", i));
            Load.Stats singles = Load.measure(CLIENTS, requestsPerClient, i -> send(http, post(results, single("load", i))));

            // Requests of 10,000 results (the API's limit per request) vs COPY of the same rows.
            List<String> bodies = new ArrayList<>();
            StringBuilder copyText = new StringBuilder();
            for (int from = 0; from < batchResults; from += 10_000) {
                StringBuilder batch = new StringBuilder("[");
                for (int i = from; i < Math.min(batchResults, from + 10_000); i++) {
                    if (i > from) batch.append(',');
                    batch.append(result("bulk-" + (i % 20), i));
                    copyText.append("copy-").append(i % 20).append("\tbench\tci\t").append(i).append('\t')
                            .append(metrics(i)).append('\n');
                }
                bodies.add(batch.append(']').toString());
            }
            long start = System.nanoTime();
            for (String body : bodies) {
                HttpResponse<String> r = http.send(post(results, body), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            }
            double batchSeconds = (System.nanoTime() - start) / 1e9;
            double copySeconds;
            try (Connection c = ds.getConnection()) {
                long s = System.nanoTime();
                c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY commit_baseline FROM STDIN",
                        new ByteArrayInputStream(copyText.toString().getBytes(StandardCharsets.UTF_8)));
                copySeconds = (System.nanoTime() - s) / 1e9;
            }

            System.out.printf(Locale.ROOT, "%nPUSH BENCHMARK (loopback, embedded PostgreSQL, %d clients, %d cores)%n",
                    CLIENTS, Runtime.getRuntime().availableProcessors());
            System.out.println("| what | benchmon | raw, same run | ratio |\n|---|---|---|---|");
            System.out.printf(Locale.ROOT, "| single-result POST, %d clients x %,d | %,.0f req/s, p50 %.1f ms, p99 %.1f ms "
                            + "| INSERT+commit %,.0f/s, p99 %.1f ms | %.2fx raw rate |%n", CLIENTS, requestsPerClient,
                    singles.perSecond(), singles.p50(), singles.p99(), raw.perSecond(), raw.p99(),
                    singles.perSecond() / raw.perSecond());
            System.out.printf(Locale.ROOT, "| HTTP batch push, %,d results in %d requests | %.2f s (%,.0f results/s) "
                            + "| COPY %.2f s (%,.0f rows/s) | %.3fx COPY rate |%n", batchResults, bodies.size(), batchSeconds,
                    batchResults / batchSeconds, copySeconds, batchResults / copySeconds, copySeconds / batchSeconds);
        }
    }

    private static void rawInsert(javax.sql.DataSource ds, String prefix, int i) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO commit_baseline VALUES (?, 'bench', 'ci', ?, CAST(? AS jsonb))")) {
            ps.setString(1, prefix + "-" + (i % 16));
            ps.setString(2, String.valueOf(i));
            ps.setString(3, metrics(i));
            ps.executeUpdate();
        }
    }

    private static void send(HttpClient http, HttpRequest request) throws Exception {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("POST answered " + r.statusCode() + ": " + r.body());
        }
    }

    private static HttpRequest post(URI uri, String body) {
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .timeout(Duration.ofMinutes(5)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String single(String prefix, int i) {
        return result(prefix + "-" + (i % 16), i);
    }

    private static String metrics(int i) {
        return "{\"precision\":0.9" + (i % 10) + ",\"recall\":0.8" + (i % 7) + ",\"f1\":0.85,\"latency_ms\":" + (400 + i % 50)
                + ",\"cost\":0.004}";
    }

    private static String result(String model, int i) {
        return "{\"model_version\":\"" + model + "\",\"dataset_version\":\"bench\",\"environment\":\"ci\","
                + "\"run_id\":\"" + i + "\",\"metrics\":" + metrics(i) + "}";
    }
}
