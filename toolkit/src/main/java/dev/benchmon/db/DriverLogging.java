package dev.benchmon.db;

import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Masks credentials in what the PostgreSQL driver logs. pgjdbc warns through java.util.logging with the whole JDBC
 * URL in the message ("JDBC URL contains too many / characters: ...?password=..."), which reaches stderr and the
 * server's log. Its records pass through {@link ConnectionSettings#maskUrl(String)} and then go on to the root
 * logger's handlers as before, so the warning itself still shows.
 */
final class DriverLogging extends Handler {
    /** Held here: java.util.logging keeps loggers weakly, and a collected logger forgets its handler. */
    private static final Logger DRIVER = Logger.getLogger("org.postgresql");
    private static final SimpleFormatter FORMATTER = new SimpleFormatter();

    private DriverLogging() {
    }

    /** Installs the masking handler on the driver's logger (once per class loader). */
    static synchronized void maskUrls() {
        for (Handler h : DRIVER.getHandlers()) {
            if (h instanceof DriverLogging) {
                return;
            }
        }
        DRIVER.addHandler(new DriverLogging());
        DRIVER.setUseParentHandlers(false);
    }

    @Override
    public void publish(LogRecord record) {
        LogRecord masked = new LogRecord(record.getLevel(), ConnectionSettings.maskUrl(FORMATTER.formatMessage(record)));
        masked.setLoggerName(record.getLoggerName());
        masked.setSourceClassName(record.getSourceClassName());
        masked.setSourceMethodName(record.getSourceMethodName());
        masked.setInstant(record.getInstant());
        if (record.getThrown() != null) {
            // the exception's own message may quote the URL too: keep its type and masked text, not the object
            masked.setThrown(new RuntimeException(record.getThrown().getClass().getName() + ": "
                    + ConnectionSettings.maskUrl(record.getThrown().getMessage())));
        }
        Logger.getLogger("").log(masked);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
