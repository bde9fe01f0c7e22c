package dev.benchmon.db;

import org.jdbi.v3.core.Handle;

/**
 * Generic plans for the statements of one transaction ({@code plan_cache_mode = force_generic_plan}, local to it).
 * The write path's statements are the same at every push, and the driver prepares them on the server after a few uses
 * on a connection; but PostgreSQL's plan cache keeps choosing custom plans for statements over the monthly-partitioned
 * log (their plan-time pruning makes them look cheaper), so it planned them again at every push, often for longer than
 * they ran. A generic plan prunes the months when it starts instead.
 */
public final class GenericPlans {
    private GenericPlans() {
    }

    /**
     * Sets {@code plan_cache_mode} to {@code force_generic_plan} until the transaction {@code h} is in ends; returns the
     * mode it had, for a caller whose transaction goes on with statements that should plan as before
     * ({@code set_config('plan_cache_mode', was, true)}).
     */
    public static String forThisTransaction(Handle h) {
        return h.createQuery("SELECT current_setting('plan_cache_mode') AS was, "
                        + "set_config('plan_cache_mode', 'force_generic_plan', true) AS now")
                .map((rs, ctx) -> rs.getString("was")).one();
    }
}
