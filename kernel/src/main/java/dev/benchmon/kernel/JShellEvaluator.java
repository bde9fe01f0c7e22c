package dev.benchmon.kernel;

import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Java source in, the last expression's value (as an object) out: splits a cell into JShell
 * snippets, evaluates them in order and stops at the first that does not compile or throws.
 * Values are the objects themselves ({@link ObjectExecutionControl}), as in IJava.
 */
final class JShellEvaluator implements AutoCloseable {
    private final ObjectExecutionControl control = new ObjectExecutionControl();
    private final JShell shell;
    private final SourceCodeAnalysis analysis;

    JShellEvaluator(List<String> classPath) {
        this.shell = JShell.builder()
                .executionEngine(new ObjectExecutionControl.Provider(control), Map.of())
                .compilerOptions("-Xlint:none")
                .build();
        classPath.forEach(shell::addToClasspath);
        this.analysis = shell.sourceCodeAnalysis();
    }

    JShell shell() {
        return shell;
    }

    /** Adds a jar or folder to the compiler's and the loader's class path. */
    void addToClasspath(String path) {
        shell.addToClasspath(path);
    }

    /**
     * Evaluates {@code code}: every complete snippet in turn.
     *
     * @return the value of the last snippet when it is an expression (or a bare variable name), else {@code null}
     * @throws EvaluationException when a snippet does not compile, throws, or the source is incomplete
     */
    Object eval(String code) {
        try {
            Object last = null;
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(code);
            while (info.completeness().isComplete()) {
                last = evalSnippet(info.source());
                info = analysis.analyzeCompletion(info.remaining());
            }
            if (info.completeness() != SourceCodeAnalysis.Completeness.EMPTY) {
                throw new EvaluationException("incomplete input", List.of("Incomplete input:", info.remaining().trim()));
            }
            return last;
        } finally {
            control.clear();
        }
    }

    private Object evalSnippet(String source) {
        List<SnippetEvent> events = shell.eval(source);
        Object result = null;
        for (SnippetEvent event : events) {
            String key = event.value();
            Object value = control.holds(key) ? control.take(key) : null;
            if (event.causeSnippet() != null) {
                continue;
            }
            switch (event.snippet().subKind()) {
                case VAR_VALUE_SUBKIND, OTHER_EXPRESSION_SUBKIND, TEMP_VAR_EXPRESSION_SUBKIND -> result = value;
                default -> result = null;
            }
        }
        for (SnippetEvent event : events) {
            if (event.causeSnippet() != null) {
                continue;
            }
            JShellException e = event.exception();
            if (e instanceof EvalException ee) {
                throw new EvaluationException(ee.getExceptionClassName() + ": " + ee.getMessage(), stackTrace(ee));
            }
            if (e instanceof UnresolvedReferenceException ure) {
                throw new EvaluationException("unresolved reference", unresolved(ure.getSnippet()));
            }
            if (e != null) {
                throw new EvaluationException(e.toString(), List.of(e.toString()));
            }
            if (!event.status().isDefined()) {
                throw new EvaluationException("compilation error", diagnostics(event.snippet()));
            }
        }
        return result;
    }

    private List<String> diagnostics(Snippet snippet) {
        List<String> lines = new ArrayList<>();
        shell.diagnostics(snippet).forEach(d -> lines.addAll(describe(snippet.source(), d)));
        if (snippet instanceof DeclarationSnippet decl) {
            lines.addAll(unresolved(decl));
        }
        if (lines.isEmpty()) {
            lines.add("the snippet was rejected: " + snippet.source().trim());
        }
        return lines;
    }

    private static List<String> describe(String source, Diag d) {
        List<String> lines = new ArrayList<>();
        long start = d.getStartPosition();
        long end = d.getEndPosition();
        if (start >= 0 && end >= start && end <= source.length()) {
            int lineStart = source.lastIndexOf('\n', (int) Math.max(0, start - 1)) + 1;
            int lineEnd = source.indexOf('\n', (int) start);
            String line = source.substring(lineStart, lineEnd < 0 ? source.length() : lineEnd);
            lines.add(line);
            int width = (int) Math.max(1, Math.min(end, lineStart + line.length()) - start);
            lines.add(" ".repeat((int) (start - lineStart)) + "^".repeat(width));
        } else {
            lines.add(source.trim());
        }
        for (String m : d.getMessage(Locale.ROOT).split("\\R")) {
            if (!m.trim().startsWith("location:")) {
                lines.add((d.isError() ? "error: " : "warning: ") + m.trim());
            }
        }
        return lines;
    }

    private List<String> unresolved(DeclarationSnippet snippet) {
        List<String> deps = shell.unresolvedDependencies(snippet).collect(Collectors.toList());
        if (deps.isEmpty()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        lines.add(snippet.source().trim());
        lines.add("unresolved: " + String.join(", ", deps));
        return lines;
    }

    private static List<String> stackTrace(EvalException e) {
        List<String> lines = new ArrayList<>();
        lines.add(e.getExceptionClassName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        for (StackTraceElement el : e.getStackTrace()) {
            if (el.getClassName().startsWith("REPL.")) {
                lines.add("\tat " + el.getMethodName() + " (snippet #" + el.getLineNumber() + ")");
                break; // the user's own code: below it is the kernel's machinery
            }
            lines.add("\tat " + el);
        }
        Throwable cause = e.getCause();
        while (cause != null) {
            String name = cause instanceof EvalException c ? c.getExceptionClassName() : cause.getClass().getName();
            lines.add("Caused by: " + name + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
            cause = cause.getCause();
        }
        return lines;
    }

    /** Is {@code code} a complete input? Answers in Jupyter's {@code is_complete} vocabulary. */
    String isComplete(String code) {
        SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(code);
        while (info.completeness().isComplete()) {
            info = analysis.analyzeCompletion(info.remaining());
        }
        return switch (info.completeness()) {
            case UNKNOWN -> "invalid";
            case COMPLETE, COMPLETE_WITH_SEMI, EMPTY -> "complete";
            case CONSIDERED_INCOMPLETE, DEFINITELY_INCOMPLETE -> "";
        };
    }

    /** Completion suggestions at {@code cursor}; {@code anchor[0]} receives where the replacement starts. */
    List<String> complete(String code, int cursor, int[] anchor) {
        return analysis.completionSuggestions(code, cursor, anchor).stream()
                .sorted((a, b) -> Boolean.compare(b.matchesType(), a.matchesType()))
                .map(SourceCodeAnalysis.Suggestion::continuation)
                .distinct()
                .toList();
    }

    /** Signatures and Javadoc of what is at {@code cursor}. */
    List<SourceCodeAnalysis.Documentation> documentation(String code, int cursor) {
        return analysis.documentation(code, cursor, true);
    }

    void interrupt() {
        control.interrupt();
    }

    @Override
    public void close() {
        shell.close();
    }

    /** A cell failed: a short name and the lines Jupyter shows as the traceback. */
    static final class EvaluationException extends RuntimeException {
        private final List<String> lines;

        EvaluationException(String message, List<String> lines) {
            super(message);
            this.lines = List.copyOf(lines);
        }

        List<String> lines() {
            return lines;
        }
    }
}
