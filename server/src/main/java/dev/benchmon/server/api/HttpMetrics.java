package dev.benchmon.server.api;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request counts and latencies per route, method and status, and results ingested, rendered in the
 * Prometheus text format. Routes are the declared paths (e.g. {@code /api/v1/results}), never raw
 * URLs, so the number of series stays bounded.
 */
public final class HttpMetrics {
    /** Histogram bucket upper bounds, in seconds. */
    static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final Map<Key, Series> requests = new ConcurrentHashMap<>();
    private final LongAdder created = new LongAdder();
    private final LongAdder alreadyPresent = new LongAdder();
    private final long startedAt = System.currentTimeMillis();

    private record Key(String method, String route, int status) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = route.compareTo(o.route);
            if (c == 0) c = method.compareTo(o.method);
            return c != 0 ? c : Integer.compare(status, o.status);
        }
    }

    private static final class Series {
        final LongAdder count = new LongAdder();
        final DoubleAdder seconds = new DoubleAdder();
        final LongAdder[] buckets = new LongAdder[BUCKETS.length];

        Series() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }
    }

    /** Request-logger hook: counts a finished request. */
    public void record(Context ctx, Float millis) {
        Key key = new Key(ctx.method().name(), route(ctx), ctx.statusCode());
        Series s = requests.computeIfAbsent(key, k -> new Series());
        double seconds = millis == null ? 0 : millis / 1000.0;
        s.count.increment();
        s.seconds.add(seconds);
        for (int i = 0; i < BUCKETS.length; i++) {
            if (seconds <= BUCKETS[i]) {
                s.buckets[i].increment();
            }
        }
    }

    /** Counts results from a successful POST. */
    public void ingested(long newlyCreated, long present) {
        created.add(newlyCreated);
        alreadyPresent.add(present);
    }

    private static String route(Context ctx) {
        try {
            Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
            return endpoint == null ? "unmatched" : endpoint.path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }

    /** Everything in the Prometheus text exposition format (version 0.0.4). */
    public String render() {
        StringBuilder sb = new StringBuilder();
        Map<Key, Series> sorted = new ConcurrentSkipListMap<>(requests);
        sb.append("# HELP benchmon_http_requests_total HTTP requests answered, by route, method and status.\n");
        sb.append("# TYPE benchmon_http_requests_total counter\n");
        sorted.forEach((k, s) -> sb.append("benchmon_http_requests_total").append(labels(k, null))
                .append(' ').append(s.count.sum()).append('\n'));
        sb.append("# HELP benchmon_http_request_duration_seconds Time to answer HTTP requests.\n");
        sb.append("# TYPE benchmon_http_request_duration_seconds histogram\n");
        sorted.forEach((k, s) -> {
            for (int i = 0; i < BUCKETS.length; i++) {
                sb.append("benchmon_http_request_duration_seconds_bucket").append(labels(k, number(BUCKETS[i])))
                        .append(' ').append(s.buckets[i].sum()).append('\n');
            }
            long count = s.count.sum();
            sb.append("benchmon_http_request_duration_seconds_bucket").append(labels(k, "+Inf")).append(' ')
                    .append(count).append('\n');
            sb.append("benchmon_http_request_duration_seconds_sum").append(labels(k, null)).append(' ')
                    .append(s.seconds.sum()).append('\n');
            sb.append("benchmon_http_request_duration_seconds_count").append(labels(k, null)).append(' ')
                    .append(count).append('\n');
        });
        sb.append("# HELP benchmon_results_ingested_total Results received by POST /api/v1/results, by outcome.\n");
        sb.append("# TYPE benchmon_results_ingested_total counter\n");
        sb.append("benchmon_results_ingested_total{outcome=\"created\"} ").append(created.sum()).append('\n');
        sb.append("benchmon_results_ingested_total{outcome=\"already_present\"} ").append(alreadyPresent.sum()).append('\n');
        sb.append("# HELP benchmon_uptime_seconds Seconds since the server started.\n");
        sb.append("# TYPE benchmon_uptime_seconds gauge\n");
        sb.append("benchmon_uptime_seconds ").append((System.currentTimeMillis() - startedAt) / 1000.0).append('\n');
        return sb.toString();
    }

    private static String labels(Key k, String le) {
        return "{route=\"" + escape(k.route) + "\",method=\"" + k.method + "\",status=\"" + k.status + "\""
                + (le == null ? "" : ",le=\"" + le + "\"") + "}";
    }

    private static String number(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
