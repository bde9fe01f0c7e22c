package dev.benchmon.db;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a benchmon home folder is, one meaning for the toolkit ({@code Benchmon.embedded(dir)}, {@code Benchmon.open()}
 * with {@code BENCHMON_HOME}) and the CLI ({@code --home DIR}): the folder that holds the embedded PostgreSQL's data
 * directory {@code pgdata/} and its password files ({@code pgdata.password}, {@code pgdata.app-password}).
 *
 * <p>A folder that is itself a PostgreSQL data directory (it holds {@code PG_VERSION}), as {@code Benchmon.embedded}
 * created before it took a home, is still opened as that data directory, with its password files beside it as before.
 */
public final class EmbeddedHome {
    /** The data directory's name inside a home folder. */
    public static final String DATA_DIRECTORY = "pgdata";

    private EmbeddedHome() {
    }

    /** The data directory of {@code home}: {@code home} itself when it is one (holds PG_VERSION), else {@code home/pgdata}. */
    public static Path dataDirectory(Path home) {
        return isDataDirectory(home) ? home : home.resolve(DATA_DIRECTORY);
    }

    /** Whether {@code home} holds an embedded database (its data directory has PG_VERSION, which initdb writes first). */
    public static boolean holdsDatabase(Path home) {
        return isDataDirectory(dataDirectory(home));
    }

    private static boolean isDataDirectory(Path dir) {
        return Files.isRegularFile(dir.resolve("PG_VERSION"));
    }
}
