package dev.benchmon.server.web;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/** The Pebble templates under {@code templates/} (HTML autoescaping on: values are text unless marked raw). */
final class Templates {
    private final PebbleEngine engine;

    Templates() {
        ClasspathLoader loader = new ClasspathLoader(Templates.class.getClassLoader());
        loader.setPrefix("templates");
        loader.setSuffix(".peb");
        this.engine = new PebbleEngine.Builder().loader(loader).autoEscaping(true).defaultEscapingStrategy("html")
                .strictVariables(false).newLineTrimming(true).build();
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
}
