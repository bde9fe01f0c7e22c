package dev.benchmon.server.ingest;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.alert.AlertChange;
import dev.benchmon.db.TransientFailures;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Group commit for single-result POSTs: concurrent requests are recorded together, one transaction
 * (one durable commit) and one detection pass for the whole group, instead of one each. A request is
 * answered only after its group committed ({@link Benchmon#recordJudged} returns after the commit), so
 * nothing acknowledged can be lost.
 *
 * <p>How: each caller queues its result; while fewer than {@value #MAX_RUNNING} groups are being recorded, a caller
 * takes whatever is queued (up to {@value #MAX_GROUP}) as one group and records it, in its own transaction; the
 * next callers queue behind, so a group forms from whatever arrived during the commits before it; no timer, no
 * added latency when alone. Two groups run side by side because a group's time is mostly waiting (round trips to
 * the database, the commit's fsync) on the one connection it holds: the second overlaps the first's waits.
 *
 * <p>Same answers as one request at a time: a group holds at most one result per series, and no result of a series
 * another running group holds (later ones wait, in arrival order), so each result is judged against the same history,
 * is the same attempt (V4: run keys include the series) and opens or resolves the same alerts as if sent alone. What
 * two running groups write is disjoint: log rows, snapshots, rollups, verdicts, change points and alerts are all per
 * series. Results are
 * validated before they are queued; if the group's transaction fails, each member is recorded again on
 * its own, so a failure reaches only the request it belongs to, unless the database is unavailable
 * ({@link TransientFailures}): then every member fails at once, as a request sent alone would. The alerts a group opened or resolved are
 * handed once to {@code announce}; each member's report carries those of its own series ({@link Ingestion#recordApart}:
 * a group holds one result per series, so each alert change is of one member's), and is not to be announced again.
 */
public final class GroupCommit {
    /** Most results in one group (one transaction). */
    public static final int MAX_GROUP = 256;
    /** Most groups recorded at once, each in its own transaction on its own connection. */
    public static final int MAX_RUNNING = 2;

    private final Benchmon benchmon;
    private final Consumer<List<AlertChange>> announce;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition finished = lock.newCondition();
    // Guarded by lock: the results waiting for a group (in arrival order), the series of the groups being recorded, and
    // how many groups are being recorded.
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final Set<String> inFlight = new HashSet<>();
    private int running;

    public GroupCommit(Benchmon benchmon, Consumer<List<AlertChange>> announce) {
        this.benchmon = benchmon;
        this.announce = announce;
    }

    /**
     * Records one validated result with the others that arrive meanwhile; returns its report (index 0)
     * once its group committed, with the alert changes of its series, which this class has announced already, and
     * the alerts its push lists ({@link Ingestion#pushAlerts}), read once for the whole group after its commit.
     *
     * @throws RuntimeException what recording it alone threw (a database error), for this request only
     */
    public Answer record(BenchmarkResult result) {
        Pending mine = new Pending(result);
        lock.lock();
        try {
            queue.add(mine);
            while (!mine.done) {
                List<Pending> group = running < MAX_RUNNING ? take() : List.of();
                if (group.isEmpty()) {
                    // Every result waiting is of a series being recorded, or enough groups run: wait for one to end.
                    finished.awaitUninterruptibly();
                    continue;
                }
                running++;
                lock.unlock();
                try {
                    runGroup(group);
                } finally {
                    lock.lock();
                    running--;
                    group.forEach(p -> inFlight.remove(p.result.series()));
                    finished.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return new Answer(mine.report, mine.alerts);
    }

    /**
     * One grouped result's answer.
     *
     * @param report its report (its result at index 0), with the metric definitions its group was judged by (or it
     *               alone, when its group failed and it was recorded alone)
     * @param alerts the alerts its push lists ({@link Ingestion#pushAlerts})
     */
    public record Answer(IngestReport report, List<dev.benchmon.alert.Alert> alerts) {
    }

    /**
     * The next group (lock held): the waiting results in arrival order, at most one per series and none of a
     * series another group is recording, so the results of one series are recorded one after another, in the
     * order they arrived; their series are marked in flight.
     */
    private List<Pending> take() {
        List<Pending> group = new ArrayList<>();
        Set<String> skipped = new HashSet<>();
        for (Iterator<Pending> it = queue.iterator(); it.hasNext() && group.size() < MAX_GROUP; ) {
            Pending p = it.next();
            String series = p.result.series();
            if (!skipped.contains(series) && inFlight.add(series)) {
                group.add(p);
                it.remove();
            } else {
                skipped.add(series);
            }
        }
        return group;
    }

    private void runGroup(List<Pending> group) {
        try {
            recordGroup(group);
        } catch (RuntimeException | Error unexpected) {
            // Whatever escaped (an Error, a report of the wrong shape) must still release every member: a member
            // left undone would wait forever.
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
        Ingestion.Apart recorded;
        try {
            recorded = Ingestion.recordApart(benchmon, results);
        } catch (Ingestion.AfterCommit committed) {
            // Stored, and the report's read failed: never recorded again (each member would be answered as already
            // present, and the alerts the group made never announced); each request fails as one sent alone would.
            group.forEach(p -> p.failure = committed.failure());
            try {
                announce.accept(committed.alerts());
            } finally {
                group.forEach(p -> p.done = true);
            }
            return;
        } catch (RuntimeException groupFailed) {
            if (TransientFailures.isUnreachable(groupFailed)) {
                // The database is out of reach: each alone would wait for the pool in turn, holding one of the few group
                // places that every single-result POST needs (minutes for a full group); all get the 503 one request gets.
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
        // Committed: from here on nothing is recorded again. What the pushes list is read once for the group; if that
        // read fails, each request fails with its result stored, as one whose own read failed did; a member's own
        // reads (its resolved alerts, its series unknown) fail its request alone.
        List<dev.benchmon.alert.Alert> groupRead = null;
        RuntimeException readFailed = null;
        try {
            groupRead = Ingestion.groupPushAlerts(benchmon, recorded);
        } catch (RuntimeException e) {
            readFailed = e;
        }
        for (int i = 0; i < group.size(); i++) {
            Pending p = group.get(i);
            p.report = recorded.reports().get(i);
            try {
                if (readFailed != null) {
                    throw readFailed;
                }
                p.alerts = Ingestion.memberPushAlerts(benchmon, recorded, i, groupRead);
            } catch (RuntimeException e) {
                p.failure = e;
            }
        }
        // Announced before any member is answered, so an answer never runs ahead of its alerts' notifications.
        try {
            announce.accept(recorded.alerts());
        } finally {
            group.forEach(p -> p.done = true);
        }
    }

    private void finish(Pending p, IngestReport alone) {
        p.report = alone;
        announce.accept(alone.alerts());
        p.alerts = Ingestion.pushAlerts(benchmon, alone); // (a failure: the caller marks it done with the failure)
        p.done = true;
    }

    // Fields are written by the thread that records the group; done last, and volatile, so its owner that sees it
    // done sees the report or failure too.
    private static final class Pending {
        final BenchmarkResult result;
        volatile boolean done;
        IngestReport report;
        List<dev.benchmon.alert.Alert> alerts;
        RuntimeException failure;

        Pending(BenchmarkResult result) {
            this.result = result;
        }
    }
}
