package dev.benchmon.kernel;

import io.github.spencerpark.jupyter.kernel.util.GlobFinder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code %classpath}, {@code %jars} and {@code %maven}, with IJava's arguments: globs of jars or
 * folders relative to the notebook's folder; Maven coordinates resolved from the local repository.
 * The benchmon toolkit is already inside this kernel, so a {@code benchmon-toolkit-*.jar} that
 * matches nothing (not built yet) is skipped rather than an error: notebooks written for IJava,
 * which must load the jar, run here unchanged.
 */
final class ClasspathMagics {
    private final Consumer<String> addToClasspath;
    private final LocalMavenRepository maven;

    ClasspathMagics(Consumer<String> addToClasspath, LocalMavenRepository maven) {
        this.addToClasspath = addToClasspath;
        this.maven = maven;
    }

    /** True for the magics this class runs. */
    static boolean handles(String name) {
        return switch (name) {
            case "classpath", "cp", "jars", "maven", "addMavenDependency", "addMavenDependencies" -> true;
            default -> false;
        };
    }

    /** Runs magic {@code name}; returns the entries it added. */
    List<String> apply(String name, List<String> args) {
        List<String> added = switch (name) {
            case "classpath", "cp" -> globs(args, false);
            case "jars" -> globs(args, true);
            default -> maven(args);
        };
        added.forEach(addToClasspath);
        return added;
    }

    private List<String> globs(List<String> args, boolean filesOnly) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("%classpath needs one or more paths or globs, e.g. %classpath lib/*.jar");
        }
        List<String> out = new ArrayList<>();
        for (String glob : args) {
            List<String> matched = new ArrayList<>();
            try {
                GlobFinder finder = new GlobFinder(glob);
                for (Path p : filesOnly ? finder.computeMatchingFiles() : finder.computeMatchingPaths()) {
                    matched.add(p.toAbsolutePath().normalize().toString());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + glob + ": " + e.getMessage(), e);
            }
            if (matched.isEmpty() && !isToolkitJar(glob)) {
                throw new IllegalArgumentException("no file matches " + glob + " (relative to "
                        + Path.of("").toAbsolutePath() + ")");
            }
            out.addAll(matched);
        }
        return out;
    }

    private static boolean isToolkitJar(String glob) {
        String name = Path.of(glob).getFileName().toString();
        return name.startsWith("benchmon-toolkit-") && name.endsWith(".jar");
    }

    private List<String> maven(List<String> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("%maven needs coordinates, e.g. %maven org.apache.commons:commons-csv:1.10.0");
        }
        List<String> out = new ArrayList<>();
        for (String coordinates : args) {
            maven.resolve(coordinates).forEach(p -> out.add(p.toString()));
        }
        return out;
    }
}
