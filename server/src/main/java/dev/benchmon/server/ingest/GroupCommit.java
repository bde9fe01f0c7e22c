package dev.benchmon.server.ingest;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.alert.AlertChange;
import dev.benchmon.db.TransientFailures;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Group commit for single-result POSTs: concurrent requests are recorded together, one transaction
 * (one durable commit) and one detection pass for the whole group, instead of one each. A request is
 * answered only after its group committed ({@link Benchmon#recordJudged} returns after the commit), so
 * nothing acknowledged can be lost.
 *
 * <p>How: each caller queues its result and takes the lock; whoever holds it records everything queued
 * (up to {@value #MAX_GROUP}) as one batch, while the next callers queue behind it, so a group forms
 * from whatever arrived during the previous commit; no timer, no added latency when alone.
 *
 * <p>Same answers as one request at a time: a group holds at most one result per series (later ones
 * wait for the next group), so each result is judged against the same history, is the same attempt
 * (V4: run keys include the series) and opens or resolves the same alerts as if sent alone. Results are
 * validated before they are queued; if the group's transaction fails, each member is recorded again on
 * its own, so a failure reaches only the request it belongs to, unless the database is unavailable
 * ({@link TransientFailures}): then every member fails at once, as a request sent alone would. The alerts a group opened or resolved are
 * handed once to {@code announce} (each member's report carries none, so nothing is announced twice).
 */
public final class GroupCommit {
    /** Most results in one group (one transaction). */
    public static final int MAX_GROUP = 256;

    private final Benchmon benchmon;
    private final Consumer<List<AlertChange>> announce;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock lock = new ReentrantLock();

    public GroupCommit(Benchmon benchmon, Consumer<List<AlertChange>> announce) {
        this.benchmon = benchmon;
        this.announce = announce;
    }

    /**
     * Records one validated result with the others that arrive meanwhile; returns its report (index 0)
     * once its group committed.
     *
     * @throws RuntimeException what recording it alone threw (a database error), for this request only
     */
    public IngestReport record(BenchmarkResult result) {
        Pending mine = new Pending(result);
        queue.add(mine);
        lock.lock();
        try {
            while (!mine.done) {
                runGroup();
            }
        } finally {
            lock.unlock();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.report;
    }

    private void runGroup() {
        List<Pending> group = new ArrayList<>();
        Set<String> series = new HashSet<>();
        for (Iterator<Pending> it = queue.iterator(); it.hasNext() && group.size() < MAX_GROUP; ) {
            Pending p = it.next();
            if (series.add(p.result.series())) {
                group.add(p);
                it.remove();
            }
        }
        if (group.isEmpty()) {
            return;
        }
        try {
            recordGroup(group);
        } catch (RuntimeException | Error unexpected) {
            // Whatever escaped (an Error, a report of the wrong shape) must still release every member: a member
            // left undone would wait forever, holding the lock that every single-result POST needs.
            for (Pending p : group) {
                if (!p.done) {
                    p.failure = unexpected instanceof RuntimeException r ? r
                            : new IllegalStateException("recording the group failed: " + unexpected, unexpected);
                    p.done = true;
                }
            }
            if (unexpected instanceof Error e) {
                throw e;
            }
        }
    }

    private void recordGroup(List<Pending> group) {
        List<BenchmarkResult> results = group.stream().map(p -> p.result).toList();
        IngestReport report;
        try {
            report = Ingestion.record(benchmon, results, Map.of(), dev.benchmon.detect.DetectionOverrides.NONE);
        } catch (RuntimeException groupFailed) {
            if (TransientFailures.isUnreachable(groupFailed)) {
                // The database is out of reach: each alone would wait for the pool in turn, holding the lock that
                // every single-result POST needs (minutes for a full group); all get the 503 one request gets.
                // Only then: a failure about one member's rows (a detached month) must not fail the others.
                for (Pending p : group) {
                    p.failure = groupFailed;
                    p.done = true;
                }
                return;
            }
            // Nothing of the group was committed: record each alone, so only the bad one fails.
            for (Pending p : group) {
                try {
                    finish(p, Ingestion.record(benchmon, List.of(p.result)));
                } catch (RuntimeException e) {
                    p.failure = e;
                    p.done = true;
                }
            }
            return;
        }
        for (int i = 0; i < group.size(); i++) {
            ResultReport r = report.results().get(i);
            group.get(i).report = new IngestReport(List.of(new ResultReport(0, r.id(), r.created(), r.series(),
                    r.verdict(), r.regressions(), r.changes(), r.late())), List.of(), report.runsInFindings());
            group.get(i).done = true;
        }
        announce.accept(report.alerts());
    }

    private void finish(Pending p, IngestReport alone) {
        p.report = new IngestReport(alone.results(), List.of(), alone.runsInFindings());
        p.done = true;
        announce.accept(alone.alerts());
    }

    // Fields are written by the lock holder and read by the owner after it took the same lock.
    private static final class Pending {
        final BenchmarkResult result;
        boolean done;
        IngestReport report;
        RuntimeException failure;

        Pending(BenchmarkResult result) {
            this.result = result;
        }
    }
}
