package dev.benchmon.server.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The benchmarks' one load loop: {@code clients} threads each running an operation {@code perClient} times, timed per call. */
final class Load {
    private Load() {
    }

    interface Operation {
        void run(int i) throws Exception;
    }

    /**
     * Calls, wall time and latency percentiles of one load.
     *
     * @param seconds wall time of the whole load
     * @param p50     median latency of one call, ms
     * @param p99     99th percentile latency of one call, ms
     */
    record Stats(int requests, double seconds, double p50, double p99) {
        double perSecond() {
            return requests / seconds;
        }
    }

    /** Runs {@code op} perClient times on each of {@code clients} threads ({@code i} unique across all calls). */
    static Stats measure(int clients, int perClient, Operation op) throws Exception {
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
            return new Stats(all.length, seconds, all[all.length / 2], all[Math.min(all.length - 1, (int) (all.length * 0.99))]);
        } finally {
            pool.shutdown();
        }
    }
}
