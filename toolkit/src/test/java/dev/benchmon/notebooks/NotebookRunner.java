package dev.benchmon.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Runs a notebook's code cells in order through the JDK's JShell API, as the IJava kernel does:
 * {@code %jars} and {@code %classpath} line magics add files to the class path (relative paths
 * from the working directory, simple globs allowed), each cell is split into snippets with
 * {@link SourceCodeAnalysis#analyzeCompletion}, and IJava's {@code display} functions exist.
 *
 * <p>It stops at the first compile error, exception, unknown magic or missing jar, and exits 1.
 * User code runs in a separate JVM (JShell's default execution engine) that inherits this
 * process's environment and working directory, so {@code Benchmon.open()} sees the
 * {@code BENCHMON_HOME} the test gives this process.
 *
 * <p>Output lines the test reads: {@code [cell N]} before each cell, {@code [display MIME KIND ...]}
 * for each display call ({@link IJavaDisplay}), {@code [ok] N cells} at the end, {@code [failed] ...} on failure.
 */
public final class NotebookRunner {
    private final JShell shell;
    private final PrintStream out;

    private NotebookRunner(JShell shell, PrintStream out) {
        this.shell = shell;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: NotebookRunner NOTEBOOK.ipynb");
            System.exit(2);
        }
        JsonNode notebook = new ObjectMapper().readTree(Path.of(args[0]).toFile());
        PrintStream out = System.out;
        int exit;
        try (JShell shell = JShell.builder().out(out).err(out).build()) {
            NotebookRunner runner = new NotebookRunner(shell, out);
            // As IJava does: its display functions are static methods imported into the session.
            shell.addToClasspath(Path.of(IJavaDisplay.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            runner.run("IJava display functions", "import static " + IJavaDisplay.class.getName() + ".*;");
            int cells = 0;
            for (JsonNode cell : notebook.path("cells")) {
                if (!"code".equals(cell.path("cell_type").asText())) {
                    continue;
                }
                cells++;
                out.println("[cell " + cells + "]");
                runner.runCell("cell " + cells, source(cell));
            }
            out.println("[ok] " + cells + " cells");
            exit = 0;
        } catch (CellFailure e) {
            out.println("[failed] " + e.getMessage());
            exit = 1;
        }
        out.flush();
        System.exit(exit);
    }

    static String source(JsonNode cell) {
        JsonNode source = cell.path("source");
        if (source.isArray()) {
            StringBuilder sb = new StringBuilder();
            source.forEach(line -> sb.append(line.asText()));
            return sb.toString();
        }
        return source.asText();
    }

    private void runCell(String where, String source) {
        if (source.stripLeading().startsWith("%%")) {
            throw new CellFailure(where + ": cell magics are not supported here: " + source.lines().findFirst().orElse(""));
        }
        StringBuilder code = new StringBuilder();
        for (String line : source.split("\n", -1)) {
            if (line.strip().startsWith("%")) {
                lineMagic(where, line.strip().substring(1));
                code.append('\n'); // keep line numbers of the code below
            } else {
                code.append(line).append('\n');
            }
        }
        run(where, code.toString());
    }

    /** {@code %jars} and {@code %classpath}, as IJava's ClasspathMagics: every argument a path or simple glob. */
    private void lineMagic(String where, String magic) {
        String[] words = magic.strip().split("\\s+");
        String name = words[0];
        if (!name.equals("jars") && !name.equals("classpath")) {
            throw new CellFailure(where + ": unsupported line magic %" + name);
        }
        for (int i = 1; i < words.length; i++) {
            List<Path> matches = resolve(words[i]);
            if (matches.isEmpty()) {
                throw new CellFailure(where + ": %" + name + " " + words[i] + " matches no file (from "
                        + Path.of("").toAbsolutePath() + "); build the toolkit jar first");
            }
            for (Path p : matches) {
                shell.addToClasspath(p.toAbsolutePath().normalize().toString());
                out.println("[classpath] " + p.toAbsolutePath().normalize());
            }
        }
    }

    private static List<Path> resolve(String pattern) {
        Path path = Path.of(pattern);
        if (!pattern.contains("*") && !pattern.contains("?")) {
            return Files.exists(path) ? List.of(path) : List.of();
        }
        Path dir = path.getParent() == null ? Path.of("") : path.getParent();
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + path.getFileName());
        try (Stream<Path> files = Files.list(dir.toString().isEmpty() ? Path.of(".") : dir)) {
            return files.filter(f -> matcher.matches(f.getFileName())).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Splits the code into snippets and evaluates them one by one, failing on the first problem. */
    private void run(String where, String code) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String remaining = code;
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            SourceCodeAnalysis.Completeness c = info.completeness();
            if (c == SourceCodeAnalysis.Completeness.EMPTY) {
                break;
            }
            if (!c.isComplete()) {
                throw new CellFailure(where + ": incomplete source: " + remaining.strip());
            }
            for (SnippetEvent event : shell.eval(info.source())) {
                check(where, event);
            }
            remaining = info.remaining();
        }
    }

    private void check(String where, SnippetEvent event) {
        Snippet snippet = event.snippet();
        if (event.status() == Snippet.Status.REJECTED) {
            List<String> diagnostics = new ArrayList<>();
            shell.diagnostics(snippet).forEach(d -> diagnostics.add(message(d)));
            throw new CellFailure(where + ": does not compile: " + snippet.source().strip() + "\n  " + String.join("\n  ", diagnostics));
        }
        if (event.status() == Snippet.Status.RECOVERABLE_DEFINED || event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
            throw new CellFailure(where + ": unresolved references in: " + snippet.source().strip());
        }
        JShellException e = event.exception();
        if (e != null) {
            String name = e instanceof EvalException ee ? ee.getExceptionClassName()
                    : e instanceof UnresolvedReferenceException ? "unresolved reference" : e.getClass().getName();
            StringBuilder trace = new StringBuilder();
            for (StackTraceElement el : e.getStackTrace()) {
                trace.append("\n    at ").append(el);
            }
            throw new CellFailure(where + ": " + name + ": " + e.getMessage() + " in: " + snippet.source().strip() + trace);
        }
        if (event.value() != null && snippet.kind() == Snippet.Kind.EXPRESSION) {
            String value = event.value();
            out.println("[out] " + (value.length() > 300 ? value.substring(0, 300) + "..." : value));
        }
    }

    private static String message(Diag d) {
        return (d.isError() ? "error: " : "warning: ") + d.getMessage(Locale.ROOT);
    }

    /** A cell that failed: compile error, exception, or a magic the harness cannot honour. */
    static final class CellFailure extends RuntimeException {
        CellFailure(String message) {
            super(message);
        }
    }
}
