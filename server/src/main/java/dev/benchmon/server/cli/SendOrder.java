package dev.benchmon.server.cli;

import dev.benchmon.BenchmarkResult;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The order {@code benchmon push} sends a file's results in. The server judges each request against what is stored,
 * so a run older than one sent in an earlier request arrives late (judged against the runs before it, reported
 * {@code late}, no alert). One request is judged as a whole and keeps the file's order; a file sent in several goes
 * in run_at order (stable, so re-run attempts of one run keep theirs; results without run_at, stamped by the
 * server, last).
 */
final class SendOrder {
    private SendOrder() {
    }

    /** The file index of each result in sending order: the identity when one request holds them all or they are in order. */
    static int[] byRunAt(List<BenchmarkResult> results, int batchSize) {
        int[] identity = IntStream.range(0, results.size()).toArray();
        if (results.size() <= batchSize) {
            return identity;
        }
        Comparator<Integer> byRunAt = Comparator.comparing(i -> results.get(i).runAt(),
                Comparator.nullsLast(Comparator.<Instant>naturalOrder()));
        return IntStream.range(0, results.size()).boxed().sorted(byRunAt).mapToInt(Integer::intValue).toArray();
    }
}
