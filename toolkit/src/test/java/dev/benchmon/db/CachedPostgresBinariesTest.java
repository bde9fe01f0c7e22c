package dev.benchmon.db;

import dev.benchmon.Benchmon;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.XZInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

class CachedPostgresBinariesTest {
    private static InputStream linuxArchive() {
        InputStream in = CachedPostgresBinariesTest.class.getClassLoader().getResourceAsStream("postgres-linux-x86_64.txz");
        assumeThat(in).as("the linux-x86_64 binaries on the test class path").isNotNull();
        return in;
    }

    @Test
    void the_cache_and_the_benchmon_home_follow_home_as_the_shell_sets_it(@TempDir Path home) {
        // Java's user.home is the account's folder, whatever HOME says; a user who sets HOME expects both there.
        Map<String, String> env = Map.of("HOME", home.toString());

        assertThat(CachedPostgresBinaries.cacheRoot(env)).isEqualTo(home.resolve(".cache/benchmon/postgres"));
        assertThat(Benchmon.home(env)).isEqualTo(home.resolve(".benchmon"));
    }

    @Test
    void two_processes_unpacking_at_once_leave_one_complete_tree_and_no_scraps(@TempDir Path cache) throws Exception {
        Path target = cache.resolve("postgres-linux-x86_64-test");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> both = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                both.add(pool.submit(() -> {
                    try (InputStream in = linuxArchive()) {
                        CachedPostgresBinaries.extract(in, target);
                    }
                    return null;
                }));
            }
            for (Future<?> f : both) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(target.resolve("bin/postgres")).isExecutable();
        assertThat(target.resolve("bin/pg_ctl")).isExecutable();
        assertThat(target.resolve("share")).isDirectory();
        try (var left = Files.list(cache)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("postgres-linux-x86_64-test");
        }
    }

    @Test
    void zonky_gets_a_tiny_archive_of_absolute_links_into_the_cache(@TempDir Path cache) throws IOException {
        Path target = cache.resolve("binaries");
        try (InputStream in = linuxArchive()) {
            CachedPostgresBinaries.extract(in, target);
        }
        byte[] links = CachedPostgresBinaries.linkArchive(target);
        assertThat(links.length).isLessThan(2_000);
        List<String> entries = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(links)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                assertThat(e.isSymbolicLink()).isTrue();
                assertThat(Path.of(e.getLinkName())).isAbsolute().isEqualTo(target.resolve(e.getName()).toAbsolutePath());
                entries.add(e.getName());
            }
        }
        assertThat(entries).contains("bin", "lib", "share");
    }

    @Test
    void a_cache_whose_path_is_longer_than_a_tar_name_still_gets_its_links(@TempDir Path cache) throws IOException {
        Path target = cache.resolve("a-home-folder-with-a-long-name-".repeat(4)).resolve(".cache/benchmon/postgres/binaries");
        Files.createDirectories(target.resolve("bin"));
        Files.createDirectories(target.resolve("share"));
        assertThat(target.resolve("share").toAbsolutePath().toString().length()).isGreaterThan(100);

        byte[] links = CachedPostgresBinaries.linkArchive(target);

        List<Path> linked = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(links)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                linked.add(Path.of(e.getLinkName()));
            }
        }
        assertThat(linked).containsExactly(target.resolve("bin").toAbsolutePath(), target.resolve("share").toAbsolutePath());
    }

    @Test
    void the_embedded_server_runs_the_cached_binaries(@TempDir Path home) throws IOException {
        assumeThat(Path.of("/proc/self/exe")).exists();
        Path root = CachedPostgresBinaries.cacheRoot(System.getenv());
        assumeThat(root).isNotNull();
        try (Benchmon bm = Benchmon.open(Map.of("BENCHMON_HOME", home.toString()))) {
            long pid = Long.parseLong(Files.readAllLines(home.resolve("pgdata/postmaster.pid")).get(0).trim());
            Path exe = Path.of("/proc/" + pid + "/exe").toRealPath();
            assertThat(exe.toString()).startsWith(root.toRealPath() + "/postgres-").endsWith("/bin/postgres");
            assertThat(bm.models()).isEmpty();
        }
        assertThat(Files.getPosixFilePermissions(root)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE,
                java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE);
    }
}
