package dev.benchmon.db;

import dev.benchmon.ConfigurationException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which embedded PostgreSQL data directory a folder names, one rule for the toolkit ({@code Benchmon.embedded(dir)},
 * {@code Benchmon.open()} with {@code BENCHMON_HOME}) and the CLI ({@code --home DIR}). A folder {@code DIR} names:
 * <ol>
 * <li>{@code DIR} itself when its last name is {@value #DATA_DIRECTORY}: it is a data directory, as code written for
 * the earlier {@code Benchmon.embedded(data directory)} passes it (e.g. {@code ~/.benchmon/pgdata}), so that
 * {@code X/pgdata} and {@code X} name the same database;</li>
 * <li>{@code DIR} itself when it holds {@code PG_VERSION}: a data directory an earlier {@code Benchmon.embedded} made
 * under another name;</li>
 * <li>else {@code DIR/pgdata}: {@code DIR} is a benchmon home folder.</li>
 * </ol>
 * A folder that holds {@code PG_VERSION} and also {@code pgdata/PG_VERSION} (two databases) is refused rather than
 * one of them being picked.
 *
 * <p>The password files are named after the data directory and lie beside it ({@code DATA.password},
 * {@code DATA.app-password}, with the owner process's {@code DATA.owner}): inside a home folder
 * ({@code DIR/pgdata.password}) for the home form, and in the data directory's parent folder for the other two, as
 * before, so that existing installations keep theirs where they are.
 */
public final class EmbeddedHome {
    /** The data directory's name inside a home folder. */
    public static final String DATA_DIRECTORY = "pgdata";

    private EmbeddedHome() {
    }

    /**
     * The data directory {@code dir} names (absolute, normalized), by the rule above.
     *
     * @throws ConfigurationException when {@code dir} holds two databases ({@code dir/PG_VERSION} and
     *                                {@code dir/pgdata/PG_VERSION}), naming both and how to choose; nothing is created
     */
    public static Path dataDirectory(Path dir) {
        Path folder = dir.toAbsolutePath().normalize();
        Path nested = folder.resolve(DATA_DIRECTORY);
        boolean isOne = isDataDirectory(folder);
        if (isOne && isDataDirectory(nested)) {
            throw new ConfigurationException(folder + " holds two embedded PostgreSQL databases: " + folder
                    + " itself is a data directory (it holds PG_VERSION; an earlier Benchmon.embedded made it) and so is "
                    + nested + "; nothing was started. Give the data directory you mean: " + nested + " (--home " + nested
                    + ", BENCHMON_HOME or Benchmon.embedded(" + nested + ")) opens that one; to open the other, move "
                    + nested + " and the files " + nested + ".* beside it out of " + folder
                    + " (with no benchmon running), then give " + folder);
        }
        Path name = folder.getFileName();
        return isOne || (name != null && name.toString().equals(DATA_DIRECTORY)) ? folder : nested;
    }

    /**
     * Whether {@code dir} names a data directory holding a database: its {@code PG_VERSION} exists. initdb writes it
     * after creating the subdirectories (pg_wal, base, global, ...) and before the configuration and the bootstrap,
     * and removes the folder's contents when it fails, so without it no initdb ever finished there.
     *
     * @throws ConfigurationException as {@link #dataDirectory} does
     */
    public static boolean holdsDatabase(Path dir) {
        return isDataDirectory(dataDirectory(dir));
    }

    /**
     * Whether another process (or thread) is creating the database {@code dir} names at this moment: it has no
     * {@code PG_VERSION} yet, and the start lock beside its data directory ({@code pgdata.lock}) is held elsewhere, as
     * while initdb runs. A read started then (an {@code export} beside a first {@code serve}) waits for it instead of
     * finding no database. Creates nothing: a folder without the lock file is not being created.
     *
     * @throws ConfigurationException as {@link #dataDirectory} does
     */
    public static boolean beingCreated(Path dir) {
        Path data = dataDirectory(dir);
        return !isDataDirectory(data) && Files.isRegularFile(EmbeddedPostgresServer.StartLock.of(data))
                && EmbeddedPostgresServer.StartLock.heldElsewhere(data);
    }

    private static boolean isDataDirectory(Path dir) {
        return Files.isRegularFile(dir.resolve("PG_VERSION"));
    }
}
