package dev.benchmon.alert;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judging a series again after a triage change (marked expected, a run excluded) has committed. A
 * failure there is logged, not thrown: the change is stored and stays, and an error answer would make
 * a client believe it was not and send it again, appending a second row to a history that is never
 * rewritten. The verdicts are recomputed when the series is next judged (its next push).
 */
final class Rejudge {
    private static final Logger LOG = LoggerFactory.getLogger(Rejudge.class);

    private Rejudge() {
    }

    /** Runs {@code rejudge}; logs its failure with {@code what} (the change that was stored). */
    static void afterCommit(Runnable rejudge, String what) {
        try {
            rejudge.run();
        } catch (RuntimeException e) {
            LOG.warn("{} is stored, but judging its series again failed (its verdicts are recomputed when it is "
                    + "next judged): {}", what, e.toString());
        }
    }
}
