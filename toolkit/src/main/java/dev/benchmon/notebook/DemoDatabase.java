package dev.benchmon.notebook;

import dev.benchmon.Benchmon;
import dev.benchmon.InvalidArgumentException;
import dev.benchmon.ValidationException.Problem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A notebook's database for its demo or example data: an embedded PostgreSQL ({@link Benchmon#embedded(Path)}) in a new
 * temporary folder of its own, never the user's database ({@code BENCHMON_DB_URL}, {@code $BENCHMON_HOME},
 * {@code ~/.benchmon}), which a notebook's sample data would otherwise be mixed into for good. The notebook's last cell
 * calls {@link #delete()}; a kernel that stops first stops the database but leaves the folder in the system's
 * temporary folder.
 *
 * <pre>{@code
 * var demo = DemoDatabase.create("quickstart");   // a folder named benchmon-quickstart…
 * var bm = demo.benchmon();
 * ...
 * System.out.println(demo.delete());              // "deleted /tmp/benchmon-quickstart…"
 * }</pre>
 */
public final class DemoDatabase {
    private final Path folder;
    private final Benchmon benchmon;

    private DemoDatabase(Path folder, Benchmon benchmon) {
        this.folder = folder;
        this.benchmon = benchmon;
    }

    /**
     * Creates a new temporary folder named {@code benchmon-NAME} followed by random characters and starts an embedded
     * PostgreSQL in it (a few seconds on first use of the PostgreSQL binaries).
     *
     * @param name what the folder is for, e.g. {@code quickstart}: letters, digits, '-' or '_'
     * @throws InvalidArgumentException (field {@code name}) when it is null, empty or holds other characters
     * @throws UncheckedIOException     when the temporary folder cannot be created
     * @throws dev.benchmon.db.DatabaseException when PostgreSQL cannot be created or started there
     */
    public static DemoDatabase create(String name) {
        if (name == null || !name.matches("[A-Za-z0-9_-]+")) {
            throw new InvalidArgumentException(Problem.of("name", "letters, digits, '-' or '_' naming the demo's folder, got "
                    + (name == null ? "null" : "'" + name + "'")));
        }
        Path folder;
        try {
            folder = Files.createTempDirectory("benchmon-" + name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder for the demo database " + name, e);
        }
        try {
            return new DemoDatabase(folder, Benchmon.embedded(folder));
        } catch (RuntimeException e) { // nothing to keep: the folder is the failed start's only trace
            try {
                deleteTree(folder);
            } catch (IOException | UncheckedIOException left) {
                e.addSuppressed(left); // left in the system's temporary folder; the start's failure is the error
            }
            throw e;
        }
    }

    /** Deletes {@code folder} and everything in it. */
    private static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** The open database (closed by {@link #delete()}). */
    public Benchmon benchmon() {
        return benchmon;
    }

    /** The folder holding the database: {@code Benchmon.embedded(folder())} opens it again after a close. */
    public Path folder() {
        return folder;
    }

    /**
     * Closes the database (stopping its PostgreSQL) and deletes its folder; says which, for the notebook to print:
     * {@code deleted FOLDER}, or {@code could not delete FOLDER (REASON)} when something in it could not be removed.
     */
    public String delete() {
        benchmon.close();
        try {
            deleteTree(folder);
        } catch (IOException | UncheckedIOException e) {
            return "could not delete " + folder + " (" + e + ")";
        }
        return "deleted " + folder;
    }

    /** E.g. {@code DemoDatabase[/tmp/benchmon-quickstart123]}. */
    @Override
    public String toString() {
        return "DemoDatabase[" + folder + "]";
    }
}
