package dev.benchmon.db;

import dev.benchmon.ConfigurationException;

/**
 * The database a read was pointed at holds no benchmon schema (opened with {@link SchemaCreation#REQUIRE_EXISTING}):
 * the URL names another database than the one benchmon writes to, and nothing was created in it.
 */
public final class NoSchemaException extends ConfigurationException {
    private final transient ConnectionSettings settings;

    NoSchemaException(ConnectionSettings settings, String variable) {
        super("the database at " + settings + " is not a benchmon database (no benchmon schema): point " + variable
                + " at the database benchmon writes to, or open it once with SchemaCreation.CREATE_IF_MISSING to "
                + "create the schema");
        this.settings = settings;
    }

    /** The database that holds no schema (its {@code toString()} masks the password). */
    public ConnectionSettings settings() {
        return settings;
    }
}
