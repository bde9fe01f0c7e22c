package dev.benchmon.server.web;

import dev.benchmon.chart.PlotlyText;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The Pebble templates under {@code templates/} (HTML autoescaping on: values are text unless marked raw), with the
 * filter {@code legend}: a name shortened as a chart's legend shortens it ({@link PlotlyText#legend(String)}, at most
 * {@value PlotlyText#LEGEND_CHARS} characters), for table cells that would otherwise be as wide as a 200-character name
 * (the {@code named} macro of {@code links.peb}).
 */
final class Templates {
    private final PebbleEngine engine;

    Templates() {
        ClasspathLoader loader = new ClasspathLoader(Templates.class.getClassLoader());
        loader.setPrefix("templates");
        loader.setSuffix(".peb");
        this.engine = new PebbleEngine.Builder().loader(loader).autoEscaping(true).defaultEscapingStrategy("html")
                .strictVariables(false).newLineTrimming(true).extension(new AbstractExtension() {
                    @Override
                    public Map<String, Filter> getFilters() {
                        return Map.of("legend", new Legend());
                    }
                }).build();
    }

    /** Renders {@code templates/<name>.peb} with the model. */
    String render(String name, Map<String, ?> model) {
        StringWriter out = new StringWriter();
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> context = (Map<String, Object>) model;
            engine.getTemplate(name).evaluate(out, context);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render template " + name, e);
        }
        return out.toString();
    }

    /** A name as a table cell shows it (the {@code legend} filter). */
    static String cell(String name) {
        return PlotlyText.legend(name);
    }

    /** {@code {{ name | legend }}}: the name as a table cell shows it ({@link #cell}), text escaped as any value. */
    private static final class Legend implements Filter {
        @Override
        public List<String> getArgumentNames() {
            return List.of();
        }

        @Override
        public Object apply(Object input, Map<String, Object> args, PebbleTemplate self, EvaluationContext context,
                            int lineNumber) {
            return input == null ? null : cell(input.toString());
        }
    }
}
