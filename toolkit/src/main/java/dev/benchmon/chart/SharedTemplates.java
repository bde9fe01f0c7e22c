package dev.benchmon.chart;

import io.pebbletemplates.pebble.PebbleEngine;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.TemplateUtils;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * One Pebble engine for the tablesaw-jsplot components of every figure benchmon renders, so that each of jsplot's
 * templates (figure, layout, trace, axis, marker, ...) is compiled once per process rather than once per component and
 * render.
 *
 * <p>Why: tablesaw-jsplot 0.44.4 gives every {@code Figure}, {@code Layout}, trace and component an engine of its own
 * (a final field initialised with {@code TemplateUtils.getNewEngine()}), and an engine caches only the templates it
 * compiled itself, so every chart lexed and parsed jsplot's templates again. On the Compare tab with no model chosen
 * (5,000 models) that was 35% of the page's CPU (JFR at 1 ms, 2026-12-07: 836 of 2,355 samples in Pebble's lexer and
 * parser under jsplot). jsplot has no way to pass an engine in, so {@link #share} sets those fields by reflection to
 * one engine that {@code TemplateUtils} built itself (the same loader and settings): the text rendered is the same.
 * Where a field cannot be set (a jsplot whose classes differ, a runtime that refuses the access), the components keep
 * their own engines: slower, same output. Pebble engines and their template caches are thread-safe.
 *
 * <p>The engine is built once, on the first chart: a later {@code TemplateUtils.setTemplateLocations(...)} (templates
 * of one's own for jsplot) is not seen by the figures benchmon renders, and a template file edited while the process
 * runs is not read again. (Setting a final field by reflection is allowed on the JDK 17 this project targets; JDK 26,
 * JEP 500, warns of it.)
 */
final class SharedTemplates {
    private static final String JSPLOT = "tech.tablesaw.plotly.";
    /** Built on first use, as jsplot would build each component's: its templates' locations as set then. */
    private static final PebbleEngine ENGINE = TemplateUtils.getNewEngine();
    /** Per class, the instance fields jsplot declares that hold an engine or jsplot components (one, or an array). */
    private static final ClassValue<List<Field>> FIELDS = new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
            List<Field> out = new ArrayList<>();
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                if (!c.getName().startsWith(JSPLOT)) {
                    continue; // benchmon's SafeFigure adds no component
                }
                for (Field f : c.getDeclaredFields()) {
                    Class<?> t = f.getType().isArray() ? f.getType().getComponentType() : f.getType();
                    if (!Modifier.isStatic(f.getModifiers()) && (t == PebbleEngine.class || t.getName().startsWith(JSPLOT))) {
                        f.setAccessible(true); // throws where the runtime refuses: then nothing is shared
                        out.add(f);
                    }
                }
            }
            return List.copyOf(out);
        }
    };
    private static volatile boolean usable = true;

    private SharedTemplates() {
    }

    /** Points every component of {@code figure} (its layout, traces, config and their parts) at the shared engine. */
    static void share(Figure figure) {
        if (!usable) {
            return;
        }
        try {
            visit(figure, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        } catch (RuntimeException | IllegalAccessException e) {
            usable = false; // e.g. InaccessibleObjectException: jsplot's own engines render as before
        }
    }

    private static void visit(Object o, Set<Object> seen) throws IllegalAccessException {
        if (o == null || !seen.add(o)) {
            return;
        }
        if (o instanceof Object[] array) {
            for (Object e : array) {
                visit(e, seen);
            }
            return;
        }
        for (Field f : FIELDS.get(o.getClass())) {
            if (f.getType() == PebbleEngine.class) {
                f.set(o, ENGINE);
            } else {
                visit(f.get(o), seen);
            }
        }
    }

}
