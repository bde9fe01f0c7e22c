package dev.benchmon.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository (samples/, notebooks/, docs/) from a test running in a module folder. */
public final class RepositoryFiles {
    private RepositoryFiles() {
    }

    /** The repository root: the nearest folder upwards from the working directory that has sql/migrations. */
    public static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("sql").resolve("migrations"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("not inside the benchmon repository: " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    public static Path resolve(String relative) {
        return root().resolve(relative);
    }
}
