package dev.benchmon.db;

/**
 * What opening an external database that holds no benchmon schema does. Opening one that holds it is the same either
 * way: an older schema is migrated when the login may, as it always was (a read of an upgraded benchmon needs the
 * upgraded functions). The embedded database is benchmon's own and is always created.
 */
public enum SchemaCreation {
    /** Create the schema (the first push, import or serve on a new database). */
    CREATE_IF_MISSING,
    /**
     * Refuse with {@link NoSchemaException} and leave the database untouched: for reads, which on a URL pointing at
     * the wrong database (the user's default one, say) would otherwise install 30-odd tables and functions there.
     */
    REQUIRE_EXISTING
}
