package dev.benchmon.db;

import org.jdbi.v3.core.Handle;

/**
 * The transaction-level advisory lock that orders writes against what changes how runs are judged
 * ({@code pg_advisory_xact_lock(hashtext('benchmon.exclusions_and_ingests'))}). Writers of results take it shared
 * ({@code ingest_staged_results}, so every push and import chunk, until its commit); what must see every write
 * committed and hold new ones back takes it exclusive: an exclusion or inclusion of a run ({@code annotate_run}), an
 * explicit metric definition, and each batch of series judged again after the fact (from before its read to its store).
 * While an exclusive request waits, new shared ones queue behind it: a recompute of many series makes pushes wait up
 * to one import chunk (about a second) per batch.
 *
 * <p>Why one key, not one per series: a chunk of 10,000 results may touch as many series, and each lock takes a slot
 * of the server's shared lock table. The cost is that an exclusive holder waits for the writes in flight and holds new
 * ones back for its own (short) transaction. Whoever takes it takes it first, before any other lock of its transaction
 * (the metric definitions' lock included), so that no two transactions wait for each other.
 */
public final class IngestLock {
    private static final String KEY = "hashtext('benchmon.exclusions_and_ingests')";

    private IngestLock() {
    }

    /** Takes the lock shared until {@code h}'s transaction ends: as a write of results does. */
    public static void shared(Handle h) {
        h.createQuery("SELECT pg_advisory_xact_lock_shared(" + KEY + ")::text").mapTo(String.class).one();
    }

    /**
     * Takes the lock exclusive for {@code h}'s session, across its transactions, until {@link #releaseSession}: for work
     * spread over several transactions on other connections (a recompute's batches side by side), during which no write
     * of results may commit. Open those connections first: writes that wait for the lock hold theirs meanwhile.
     */
    public static void exclusiveForSession(Handle h) {
        h.createQuery("SELECT pg_advisory_lock(" + KEY + ")::text").mapTo(String.class).one();
    }

    /** Releases what {@link #exclusiveForSession} took on {@code h}'s session. */
    public static void releaseSession(Handle h) {
        h.createQuery("SELECT pg_advisory_unlock(" + KEY + ")").mapTo(Boolean.class).one();
    }

    /**
     * Takes the lock exclusive until {@code h}'s transaction ends: waits for the writes in flight to commit, and holds
     * new ones back; the next statement of {@code h} sees every write committed.
     */
    public static void exclusive(Handle h) {
        h.createQuery("SELECT pg_advisory_xact_lock(" + KEY + ")::text").mapTo(String.class).one();
    }
}
