package dev.benchmon.kernel;

import dev.benchmon.notebook.Notebook;
import dev.benchmon.notebook.TableText;
import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import io.github.spencerpark.jupyter.messages.Header;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The kernel: cells go through {@link Cell} (magics) and {@link JShellEvaluator} (Java); the last
 * value is rendered by type (Table as an HTML table, Figure as a Plotly chart, anything else as
 * text). Plotly.js goes into the notebook once, before the first chart, from the toolkit jar.
 */
public final class BenchmonKernel extends BaseKernel {
    private static volatile BenchmonKernel current;

    /** Java imports and the display functions every session starts with (JShell's DEFAULT set and benchmon's). */
    static final String STARTUP = """
            import java.io.*;
            import java.math.*;
            import java.net.*;
            import java.nio.file.*;
            import java.time.*;
            import java.util.*;
            import java.util.concurrent.*;
            import java.util.function.*;
            import java.util.regex.*;
            import java.util.stream.*;
            import dev.benchmon.*;
            import dev.benchmon.alert.*;
            import dev.benchmon.chart.*;
            import dev.benchmon.compare.CompareOptions;
            import dev.benchmon.compare.RunComparison;
            import dev.benchmon.notebook.Notebook;
            import dev.benchmon.query.TrendLines;
            import tech.tablesaw.api.*;
            import tech.tablesaw.plotly.components.Figure;
            import static dev.benchmon.kernel.runtime.Display.*;
            """;

    private final JShellEvaluator evaluator;
    private final ClasspathMagics classpathMagics;
    private final LanguageInfo languageInfo;
    private final Set<String> shownIds = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean plotlyInPage;
    private boolean started;

    /** A kernel whose JShell compiles against {@code classPath} (this JVM's own class path). */
    public BenchmonKernel(List<String> classPath) {
        this.evaluator = new JShellEvaluator(classPath);
        this.classpathMagics = new ClasspathMagics(evaluator::addToClasspath, LocalMavenRepository.standard());
        this.languageInfo = new LanguageInfo.Builder("Java")
                .version(Runtime.version().toString())
                .mimetype("text/x-java-source")
                .fileExtension(".jshell")
                .pygments("java")
                .codemirror("text/x-java")
                .build();
        registerRenderers();
        current = this;
    }

    /** The running kernel, for {@link dev.benchmon.kernel.runtime.Display}. */
    public static BenchmonKernel current() {
        BenchmonKernel k = current;
        if (k == null) {
            throw new IllegalStateException("display() works inside the benchmon Jupyter kernel only");
        }
        return k;
    }

    private void registerRenderers() {
        renderer.createRegistration(Table.class)
                .preferring(MIMEType.TEXT_HTML)
                .supporting(MIMEType.TEXT_PLAIN)
                .register((table, ctx) -> {
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> Notebook.html(table));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> TableText.of(table));
                });
        renderer.createRegistration(Figure.class)
                .preferring(MIMEType.TEXT_HTML)
                .supporting(MIMEType.TEXT_PLAIN)
                .register((figure, ctx) -> {
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> Notebook.html(figure));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> "Plotly figure (shown as a chart in HTML front ends)");
                });
    }

    /** Shows {@code data} in the current cell's output; returns its display id. */
    public String show(DisplayData data) {
        if (!data.hasDisplayId()) {
            data.setDisplayId(UUID.randomUUID().toString());
        }
        beforeShowing(data);
        display(data);
        String id = data.getDisplayId();
        shownIds.add(id);
        return id;
    }

    /**
     * Puts Plotly.js into the page once, before the first chart; notices when the notebook loads it
     * itself. Drops the text/plain copy of an HTML string ({@code display(html, "text/html")} renders
     * the string as both): Plotly.js would otherwise be stored twice.
     */
    private void beforeShowing(DisplayData data) {
        Object html = data.getData(MIMEType.TEXT_HTML);
        if (!(html instanceof String s)) {
            return;
        }
        if (s.equals(data.getData(MIMEType.TEXT_PLAIN)) && s.length() > 400) {
            data.putText(s.contains(Notebook.PLOTLY_MARKER)
                    ? "Plotly.js " + Notebook.plotlyVersion() + " (offline, from the benchmon toolkit)"
                    : "HTML output (" + (s.length() / 1024 + 1) + " KB): open the notebook in Jupyter to see it");
        }
        if (s.contains(Notebook.PLOTLY_MARKER)) {
            plotlyInPage = true;
        } else if (s.contains(Notebook.CHART_MARKER) && !plotlyInPage) {
            DisplayData plotly = new DisplayData("Plotly.js " + Notebook.plotlyVersion() + " (offline)");
            plotly.putHTML(Notebook.plotlyScript());
            display(plotly);
            plotlyInPage = true;
        }
    }

    @Override
    public DisplayData eval(String source) throws Exception {
        if (!started) {
            started = true;
            evaluator.eval(STARTUP);
        }
        shownIds.clear();
        Object last = null;
        for (Cell.Part part : Cell.parse(source).parts()) {
            if (part instanceof Cell.Code code) {
                last = evaluator.eval(code.source());
            } else if (part instanceof Cell.Magic magic) {
                last = null;
                runMagic(magic);
            }
        }
        if (last == null || (last instanceof String s && shownIds.contains(s))) {
            return null; // nothing to show, or the id that display() returned: IJava echoes it, we do not
        }
        if (last == System.out || last == System.err) {
            return null; // System.out.printf(...) returns the stream: its toString() is noise
        }
        DisplayData data = last instanceof DisplayData d ? d : renderer.render(last);
        beforeShowing(data);
        return data;
    }

    private void runMagic(Cell.Magic magic) {
        if (magic.cell()) {
            throw new JShellEvaluator.EvaluationException("unknown cell magic %%" + magic.name(),
                    List.of("unknown cell magic %%" + magic.name() + ": this kernel knows the line magics "
                            + "%classpath, %jars and %maven"));
        }
        if (!ClasspathMagics.handles(magic.name())) {
            throw new JShellEvaluator.EvaluationException("unknown magic %" + magic.name(),
                    List.of("unknown line magic %" + magic.name() + ": this kernel knows %classpath (alias %cp), "
                            + "%jars and %maven (alias %addMavenDependency)"));
        }
        try {
            classpathMagics.apply(magic.name(), magic.args());
        } catch (RuntimeException e) {
            throw new JShellEvaluator.EvaluationException("%" + magic.name() + " failed",
                    List.of("%" + magic.name() + ": " + e.getMessage()));
        }
    }

    @Override
    public List<String> formatError(Exception e) {
        if (e instanceof JShellEvaluator.EvaluationException ee) {
            List<String> lines = new ArrayList<>();
            for (String line : ee.lines()) {
                lines.add(errorStyler.secondary(line));
            }
            return lines;
        }
        return super.formatError(e);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        var docs = evaluator.documentation(code, Math.min(code.length(), at));
        if (docs == null || docs.isEmpty()) {
            return null;
        }
        return new DisplayData(docs.stream()
                .map(d -> d.signature() + (d.javadoc() == null ? "" : "\n" + d.javadoc()))
                .collect(Collectors.joining("\n\n")));
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        int[] anchor = new int[1];
        List<String> options = evaluator.complete(code, at, anchor);
        return options.isEmpty() ? null : new ReplacementOptions(options, anchor[0], at);
    }

    @Override
    public String isComplete(String code) {
        return switch (evaluator.isComplete(code)) {
            case "complete" -> IS_COMPLETE_YES;
            case "invalid" -> IS_COMPLETE_BAD;
            default -> "";
        };
    }

    @Override
    public LanguageInfo getLanguageInfo() {
        return languageInfo;
    }

    @Override
    public String getBanner() {
        return "benchmon kernel (JShell, Java " + Runtime.version() + "), Jupyter protocol " + Header.PROTOCOL_VERISON;
    }

    @Override
    public List<LanguageInfo.Help> getHelpLinks() {
        return List.of(new LanguageInfo.Help("Java tutorial", "https://docs.oracle.com/javase/tutorial/java/nutsandbolts/index.html"),
                new LanguageInfo.Help("Tablesaw", "https://jtablesaw.github.io/tablesaw/"));
    }

    @Override
    public void interrupt() {
        evaluator.interrupt();
    }

    @Override
    public void onShutdown(boolean restarting) {
        evaluator.close();
    }
}
