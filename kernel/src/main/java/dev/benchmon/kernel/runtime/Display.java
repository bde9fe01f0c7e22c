package dev.benchmon.kernel.runtime;

import dev.benchmon.kernel.BenchmonKernel;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;

/**
 * Display functions for notebook code (statically imported into every session), with IJava's
 * signatures: {@code display(bm.latestSnapshots())} shows a Table as HTML, a Figure as a chart;
 * {@code display(html, "text/html")} shows a string as the given MIME type.
 */
public final class Display {
    private Display() {
    }

    /** Renders {@code o} for every MIME type the kernel knows for its class, without showing it. */
    public static DisplayData render(Object o) {
        return BenchmonKernel.current().getRenderer().render(o);
    }

    /** Renders {@code o} as the given MIME types (e.g. {@code "text/html"}), without showing it. */
    public static DisplayData render(Object o, String... as) {
        return BenchmonKernel.current().getRenderer().renderAs(o, as);
    }

    /**
     * Shows {@code o} in the cell's output.
     *
     * @return the display id, for {@link #updateDisplay(String, Object)}; the kernel does not echo it
     *         when it is the cell's last value
     */
    public static String display(Object o) {
        return BenchmonKernel.current().show(render(o));
    }

    /** Shows {@code o} as the given MIME types (a String of HTML with {@code "text/html"}). */
    public static String display(Object o, String... as) {
        return BenchmonKernel.current().show(render(o, as));
    }

    /** Replaces what display id {@code id} shows. */
    public static void updateDisplay(String id, Object o) {
        BenchmonKernel.current().getIO().display.updateDisplay(id, render(o));
    }

    /** Replaces what display id {@code id} shows, as the given MIME types. */
    public static void updateDisplay(String id, Object o, String... as) {
        BenchmonKernel.current().getIO().display.updateDisplay(id, render(o, as));
    }
}
