package dev.benchmon.db;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.ArchUtils;
import io.zonky.test.db.postgres.util.LinuxUtils;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * zonky's PostgreSQL binaries, extracted once per archive into a cache folder that every start (and
 * every benchmon home) shares: {@code $XDG_CACHE_HOME/benchmon/postgres} (default
 * {@code ~/.cache/benchmon/postgres}).
 *
 * <p>Why: zonky names its extraction folder after an MD5 of the whole archive, so each start
 * inflates and hashes its 15 MB {@code .txz} again (about a third of a second of CPU on a start
 * that should take one). Here the archive is known by its size and CRC-32 from the jar's directory,
 * read without inflating it; the first start extracts it into {@code <cache>/<archive>-<size>-<crc>}
 * (into a private folder, then renamed into place, so two processes starting at once never see half
 * a tree), and zonky is then handed a few-hundred-byte archive of links ({@code bin}, {@code lib},
 * {@code share}) to that folder, which it hashes in no time. PostgreSQL resolves the links to find
 * its {@code share} and {@code lib} folders.
 *
 * <p>Falls back to zonky's own resolver (the full archive, hashed) when the archive is not inside a
 * jar, on Windows (links need privileges there), or when the cache folder cannot be written.
 */
final class CachedPostgresBinaries implements PgBinaryResolver {
    private static final Logger log = LoggerFactory.getLogger(CachedPostgresBinaries.class);
    /** One instance: zonky remembers prepared binaries per resolver for the life of the JVM. */
    static final CachedPostgresBinaries INSTANCE = new CachedPostgresBinaries();

    private CachedPostgresBinaries() {
    }

    /** Points zonky at the cache: this resolver, and the cache root as its working folder. No-op if there is no usable cache. */
    static EmbeddedPostgres.Builder configure(EmbeddedPostgres.Builder builder) {
        Path root = cacheRoot(System.getenv());
        if (root == null || System.getProperty("os.name", "").startsWith("Windows")) {
            return builder;
        }
        // zonky makes its working folder writable by everyone (it was made for a shared /tmp): give it
        // a subfolder of the owner-only cache root, where nobody else can reach it.
        return builder.setPgBinaryResolver(INSTANCE).setOverrideWorkingDirectory(root.resolve("links").toFile());
    }

    /**
     * {@code $XDG_CACHE_HOME/benchmon/postgres} or {@code ~/.cache/benchmon/postgres}, readable by its
     * owner only (nobody else may plant binaries that benchmon would run); {@code null} if it cannot be created.
     */
    static Path cacheRoot(Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : dev.benchmon.Benchmon.userHome(env).resolve(".cache");
        Path root = base.resolve("benchmon").resolve("postgres");
        try {
            Files.createDirectories(root);
            try {
                Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: not used there (see configure)
            }
            return Files.isWritable(root) ? root : null;
        } catch (IOException | SecurityException e) {
            log.debug("no binaries cache at {}: {}", root, e.toString());
            return null;
        }
    }

    /**
     * Unpacks the binaries into the cache now if they are not there yet (saying so), as zonky's start would ask for
     * them, so that a caller can announce the step that needs them (initdb) after this one. Does nothing where the
     * cache is not used; a failure here is left to the start, which meets and reports it.
     */
    static void prepare() {
        String os = System.getProperty("os.name", "");
        // zonky's names for the systems it has binaries for (EmbeddedPostgres.getOS); Windows does not use the cache.
        String system = os.startsWith("Linux") ? "Linux" : os.startsWith("Mac") ? "Darwin" : null;
        if (system == null || cacheRoot(System.getenv()) == null) {
            return;
        }
        try (InputStream links = INSTANCE.getPgBinary(system, System.getProperty("os.arch", ""))) {
            links.transferTo(OutputStream.nullOutputStream());
        } catch (IOException | RuntimeException e) {
            log.debug("binaries not prepared ahead of the start: {}", e.toString());
        }
    }

    @Override
    public InputStream getPgBinary(String system, String machineHardware) throws IOException {
        URL archive = locate(system, machineHardware);
        if (archive == null || !"jar".equals(archive.getProtocol())) {
            return DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware);
        }
        JarURLConnection connection = (JarURLConnection) archive.openConnection();
        var entry = connection.getJarEntry();
        if (entry.getSize() < 0 || entry.getCrc() < 0) {
            return DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware);
        }
        String name = entry.getName().replaceFirst("\\.txz$", "");
        Path root = cacheRoot(System.getenv());
        if (root == null) {
            return DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware);
        }
        Path binaries = root.resolve(String.format(Locale.ROOT, "%s-%d-%08x", name, entry.getSize(), entry.getCrc()));
        if (!Files.isDirectory(binaries)) {
            try (InputStream in = connection.getInputStream()) {
                extract(in, binaries);
            }
        }
        return new ByteArrayInputStream(linkArchive(binaries));
    }

    /** The archive zonky's own resolver would pick: the distribution's if the jar has one, else the system's. */
    private static URL locate(String system, String machineHardware) throws IOException {
        String architecture = ArchUtils.normalize(machineHardware);
        String distribution = LinuxUtils.getDistributionName();
        List<String> names = new ArrayList<>();
        if (distribution != null) {
            names.add(String.format("postgres-%s-%s-%s.txz", system, architecture, distribution));
        }
        names.add(String.format("postgres-%s-%s.txz", system, architecture));
        ClassLoader loader = DefaultPostgresBinaryResolver.class.getClassLoader();
        for (String n : names) {
            List<URL> urls = Collections.list(loader.getResources(n.replace(' ', '_').toLowerCase(Locale.ROOT)));
            if (urls.size() == 1) {
                return urls.get(0);
            }
            if (urls.size() > 1) {
                return null; // zonky's resolver reports the duplicates
            }
        }
        return null;
    }

    /** Extracts the tar.xz into {@code target} through a private folder renamed into place (another process may win: fine). */
    static void extract(InputStream txz, Path target) throws IOException {
        Progress.step("first start: unpacking the PostgreSQL binaries into {} (once per version)", target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(tmp);
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(txz))) {
                TarArchiveEntry e;
                while ((e = tar.getNextEntry()) != null) {
                    Path out = tmp.resolve(e.getName()).normalize();
                    if (!out.startsWith(tmp)) {
                        throw new IOException("archive entry outside its folder: " + e.getName());
                    }
                    if (e.isDirectory()) {
                        Files.createDirectories(out);
                    } else if (e.isSymbolicLink()) {
                        Files.createDirectories(out.getParent());
                        Files.createSymbolicLink(out, Path.of(e.getLinkName()));
                    } else if (e.isFile()) {
                        Files.createDirectories(out.getParent());
                        Files.copy(tar, out);
                        // bin/ is executable; libraries keep what the archive says (zonky does the same)
                        if ((e.getMode() & 0100) != 0 || e.getName().startsWith("bin/") || e.getName().startsWith("./bin/")) {
                            out.toFile().setExecutable(true, false);
                        }
                    } else {
                        throw new IOException("unsupported archive entry " + e.getName());
                    }
                }
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                if (!Files.isDirectory(target)) {
                    throw e;
                }
                // another process put the same binaries in place first
            } catch (IOException e) {
                if (!Files.isDirectory(target)) { // "directory not empty" on Linux when another process won
                    throw e;
                }
            }
        } finally {
            deleteTree(tmp);
        }
    }

    /** A tar.xz holding one absolute link per top-level entry of {@code binaries} (bin, lib, share). */
    static byte[] linkArchive(Path binaries) throws IOException {
        List<Path> top;
        try (Stream<Path> list = Files.list(binaries)) {
            top = list.sorted().toList();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new XZOutputStream(bytes, new LZMA2Options(0)))) {
            // A link name past ustar's 100 bytes (a cache under a long home or XDG_CACHE_HOME) goes in a PAX header,
            // which the reader (commons-compress, zonky's too) takes; by default it failed the first start.
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Path p : top) {
                TarArchiveEntry link = new TarArchiveEntry(p.getFileName().toString(), TarArchiveEntry.LF_SYMLINK);
                link.setLinkName(p.toAbsolutePath().toString());
                tar.putArchiveEntry(link);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log.debug("could not remove {}: {}", dir, e.toString());
        }
    }
}
