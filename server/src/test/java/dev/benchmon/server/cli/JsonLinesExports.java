package dev.benchmon.server.cli;

/** Reading a JSON Lines history export in tests: its results, after the line stating the metric definitions. */
final class JsonLinesExports {
    private JsonLinesExports() {
    }

    /** {@code jsonl} without its first line when that states the metric definitions ({@code {"metric_definitions": ...}}). */
    static String results(String jsonl) {
        return jsonl.startsWith("{\"metric_definitions\"") ? jsonl.substring(jsonl.indexOf('\n') + 1) : jsonl;
    }
}
