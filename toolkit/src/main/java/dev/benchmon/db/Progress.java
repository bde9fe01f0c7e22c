package dev.benchmon.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per slow first-start step (creating the database cluster, the schema, loading demo
 * data), so that a first {@code serve} or JShell start that takes seconds says what it is doing.
 * Logged at INFO under {@code benchmon.progress} (shown by the default logging configuration,
 * while the rest of {@code dev.benchmon.db} is quiet).
 */
public final class Progress {
    private static final Logger LOG = LoggerFactory.getLogger("benchmon.progress");

    private Progress() {
    }

    /** Says that a step starts or ended, e.g. {@code "creating the benchmon schema (first start)"}. */
    public static void step(String message, Object... args) {
        LOG.info(message, args);
    }
}
