package dev.benchmon.server.benchmarks;

import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The push endpoint under load, on loopback, against the embedded database. Figures are printed
 * with a baseline measured in the same run ({@code GET /health}, which touches the database but
 * writes nothing), never asserted against a clock. Targets from the issue: a batched push of
 * 100,000 results in under 10 s; single-result posts from 8 clients at over 1,500 requests/s with
 * p99 under 25 ms. Run: {@code ./mvnw -B -pl toolkit,server -Pbenchmarks test}.
 */
@Tag("benchmark")
class PushBenchmark {
    private static final int CLIENTS = 8;
    private static final int REQUESTS_PER_CLIENT = 1_000;
    private static final int BATCH_RESULTS = 100_000;

    @Test
    void push_throughput_and_latency() throws Exception {
        try (TestServer server = TestServer.start()) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI results = URI.create(server.url() + "api/v1/results");
            URI health = URI.create(server.url() + "health");

            // Warm-up: JIT, pool, plans.
            load(http, CLIENTS, 100, i -> get(health), true, "warm-up");
            load(http, CLIENTS, 100, i -> post(results, single("warm", i)), false, "warm-up");

            Stats baseline = load(http, CLIENTS, REQUESTS_PER_CLIENT, i -> get(health), true, "GET /health");
            Stats commits = rawCommits(server, CLIENTS, REQUESTS_PER_CLIENT);
            Stats singles = load(http, CLIENTS, REQUESTS_PER_CLIENT, i -> post(results, single("load", i)), false,
                    "POST one result");

            // 10,000 results per request: the API's limit per request.
            List<String> requestsOf10k = new ArrayList<>();
            for (int from = 0; from < BATCH_RESULTS; from += 10_000) {
                StringBuilder batch = new StringBuilder("[");
                for (int i = from; i < from + 10_000; i++) {
                    if (i > from) batch.append(',');
                    batch.append(result("bulk-" + (i % 20), i));
                }
                requestsOf10k.add(batch.append(']').toString());
            }
            long start = System.nanoTime();
            int batches = 0;
            for (String body : requestsOf10k) {
                HttpResponse<String> r = http.send(post(results, body), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(201);
                batches++;
            }
            double batchSeconds = (System.nanoTime() - start) / 1e9;

            System.out.printf(Locale.ROOT, "%nPUSH BENCHMARK (loopback, embedded PostgreSQL, %d clients)%n", CLIENTS);
            System.out.println("  " + baseline);
            System.out.println("  " + commits + "   (the storage ceiling: one fsync'd commit each)");
            System.out.println("  " + singles + String.format(Locale.ROOT,
                    "  = %.2fx GET /health, %.2fx raw commits", singles.perSecond() / baseline.perSecond(),
                    singles.perSecond() / commits.perSecond()));
            System.out.printf(Locale.ROOT, "  batched push of %,d results in %d requests: %.2f s (%,.0f results/s)%n",
                    BATCH_RESULTS, batches, batchSeconds, BATCH_RESULTS / batchSeconds);
        }
    }

    private interface RequestFactory {
        HttpRequest make(int i);
    }

    private record Stats(String name, int requests, double seconds, double p50, double p99) {
        double perSecond() {
            return requests / seconds;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-18s %,7d requests  %,8.0f req/s  p50 %5.1f ms  p99 %5.1f ms",
                    name, requests, perSecond(), p50, p99);
        }
    }

    private static Stats load(HttpClient http, int clients, int perClient, RequestFactory requests, boolean read,
                              String name) throws Exception {
        int expected = read ? 200 : 201;
        return measure(name, clients, perClient, i -> {
            HttpResponse<Void> r = http.send(requests.make(i), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != expected) {
                throw new IllegalStateException(name + " answered " + r.statusCode());
            }
        });
    }

    private interface Operation {
        void run(int i) throws Exception;
    }

    /** Runs {@code op} perClient times on each of {@code clients} threads; latency per call. */
    private static Stats measure(String name, int clients, int perClient, Operation op) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            long start = System.nanoTime();
            List<Future<double[]>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                futures.add(pool.submit(() -> {
                    double[] ms = new double[perClient];
                    for (int i = 0; i < perClient; i++) {
                        long t0 = System.nanoTime();
                        op.run(client * perClient + i);
                        ms[i] = (System.nanoTime() - t0) / 1e6;
                    }
                    return ms;
                }));
            }
            double[] all = new double[clients * perClient];
            int k = 0;
            for (Future<double[]> f : futures) {
                for (double v : f.get()) {
                    all[k++] = v;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Arrays.sort(all);
            return new Stats(name, all.length, seconds, all[all.length / 2], all[(int) (all.length * 0.99)]);
        } finally {
            pool.shutdown();
        }
    }

    /** Single-row INSERT commits through the server's own pool, from as many threads as clients. */
    private static Stats rawCommits(TestServer server, int clients, int perClient) throws Exception {
        var jdbi = server.benchmon().jdbi();
        jdbi.useHandle(h -> h.execute("CREATE TABLE IF NOT EXISTS commit_baseline (id bigserial, payload jsonb)"));
        return measure("raw INSERT commit", clients, perClient, i -> jdbi.useHandle(h -> h.createUpdate(
                "INSERT INTO commit_baseline (payload) VALUES (CAST(:p AS jsonb))").bind("p", "{\"f1\": 0.9}").execute()));
    }

    private static HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).GET().build();
    }

    private static HttpRequest post(URI uri, String body) {
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String single(String prefix, int i) {
        return result(prefix + "-" + (i % 16), i);
    }

    private static String result(String model, int i) {
        return "{\"model_version\":\"" + model + "\",\"dataset_version\":\"bench\",\"environment\":\"ci\","
                + "\"run_id\":\"" + i + "\",\"metrics\":{\"precision\":0.9" + (i % 10) + ",\"recall\":0.8" + (i % 7)
                + ",\"f1\":0.85,\"latency_ms\":" + (400 + i % 50) + ",\"cost\":0.004}}";
    }
}
