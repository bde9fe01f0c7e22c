package dev.benchmon.server.api;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.query.InstantText;
import dev.benchmon.query.ResultStream;
import io.javalin.http.Context;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Writes a streamed result ({@link ResultStream}) onto the response as the rows arrive from the
 * database cursor: JSON through Jackson's {@link JsonGenerator} (no tree) or CSV through univocity's
 * writer (the one Tablesaw uses; {@link CsvRows}), with the shapes {@link TableResponses} gives a table:
 * {@code {"columns": [...], "rows": [{column: value}, ...], "row_count": n}} (row_count last, since it is
 * known only at the end) and a header row then one line per row, text cells formula-guarded. A history's
 * {@code tags} are the stored JSON object in both: a JSON object in the rows (the database's text written as
 * it is), and that object's text in a CSV cell, which {@code benchmon import} reads back exactly.
 *
 * <p>The status and headers go out with the first bytes; errors found before the columns (unknown names)
 * still answer 4xx, a database failure in the middle of the rows cuts the response short.
 */
final class StreamedRows {
    private StreamedRows() {
    }

    /** Answers with what {@code query} streams into the sink it is given; returns the row count. */
    static long write(Context ctx, boolean csv, String name, ToLongFunction<ResultStream.Sink> query) {
        return write(ctx, csv, name, Map.of(), query);
    }

    /** {@link #write(Context, boolean, String, ToLongFunction)} with {@code extra} text fields first in the JSON object. */
    static long write(Context ctx, boolean csv, String name, Map<String, String> extra, ToLongFunction<ResultStream.Sink> query) {
        return write(ctx, csv, name, extra, query, n -> Map.of());
    }

    /**
     * {@link #write(Context, boolean, String, Map, ToLongFunction)} with {@code tail(rows)} written after
     * {@code row_count} in the JSON object (numbers and booleans, known only at the end; the CSV has no place for them).
     */
    static long write(Context ctx, boolean csv, String name, Map<String, String> extra, ToLongFunction<ResultStream.Sink> query,
                      java.util.function.LongFunction<Map<String, Object>> tail) {
        try {
            if (csv) {
                CsvRows sink = new CsvRows(() -> {
                    ctx.contentType("text/csv; charset=utf-8")
                            .header("Content-Disposition", "inline; filename=\"" + name + ".csv\"");
                    return new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8);
                }, true, CsvRows.Numbers.AS_JSON);
                long n = query.applyAsLong(sink);
                sink.finish();
                return n;
            }
            JsonSink sink = new JsonSink(ctx, extra);
            long n = query.applyAsLong(sink);
            sink.finish(n, tail.apply(n));
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Answers with the JSON Lines {@code query} writes ({@code application/x-ndjson}), as the lines arrive from the
     * cursor; the status and headers go out with the first line (or at the end, for none), so that a refusal before it
     * (an unknown name) still answers 4xx. Returns the line count.
     */
    static long writeJsonLines(Context ctx, String name, ToLongFunction<Writer> query) {
        Writer[] opened = {null};
        Writer lazy = new Writer() {
            private Writer target() {
                if (opened[0] == null) {
                    ctx.contentType("application/x-ndjson; charset=utf-8")
                            .header("Content-Disposition", "inline; filename=\"" + name + ".jsonl\"");
                    opened[0] = new BufferedWriter(new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8),
                            1 << 16);
                }
                return opened[0];
            }

            @Override
            public void write(char[] chars, int offset, int length) throws IOException {
                target().write(chars, offset, length);
            }

            @Override
            public void write(String text, int offset, int length) throws IOException {
                target().write(text, offset, length);
            }

            @Override
            public void flush() throws IOException {
                target().flush();
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
        long n = query.applyAsLong(lazy);
        try {
            lazy.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }

    private static final class JsonSink implements ResultStream.Sink {
        private final Context ctx;
        private JsonGenerator json;
        /** The field names, encoded once: a 1,000-row answer writes each of them a thousand times. */
        private SerializedString[] names;
        /** Which columns hold JSON text (a history's tags object), written as the value it is. */
        private boolean[] jsonText;
        /** Which columns write an empty text as {@code ""} (no prompt), not null ({@link TableResponses#emptyIsName}). */
        private boolean[] emptyIsName;
        private final InstantText instants = new InstantText();
        private final Map<String, String> extra;

        JsonSink(Context ctx, Map<String, String> extra) {
            this.ctx = ctx;
            this.extra = extra;
        }

        @Override
        public void columns(List<ResultStream.Column> columns) throws IOException {
            names = columns.stream().map(c -> new SerializedString(c.name())).toArray(SerializedString[]::new);
            jsonText = new boolean[columns.size()];
            emptyIsName = new boolean[columns.size()];
            for (int i = 0; i < jsonText.length; i++) {
                jsonText[i] = columns.get(i).type() == ResultStream.Type.JSON;
                emptyIsName[i] = TableResponses.emptyIsName(columns.get(i).name());
            }
            ctx.contentType("application/json; charset=utf-8");
            json = ResultJson.mapper().getFactory().createGenerator(ctx.outputStream(), JsonEncoding.UTF8);
            // Schubfach (Jackson's fast writer): the shortest text that reads back as the same double, where the
            // JDK 17 writer took 10% of a 1,000-row history's server time (and sometimes a digit more).
            json.enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER.mappedFeature());
            json.writeStartObject();
            for (Map.Entry<String, String> e : extra.entrySet()) {
                json.writeStringField(e.getKey(), e.getValue());
            }
            json.writeArrayFieldStart("columns");
            for (ResultStream.Column c : columns) {
                json.writeString(c.name());
            }
            json.writeEndArray();
            json.writeArrayFieldStart("rows");
        }

        @Override
        public void row(Object[] values) throws IOException {
            json.writeStartObject();
            for (int i = 0; i < values.length; i++) {
                json.writeFieldName(names[i]);
                Object v = values[i];
                // The types in the order a history row holds most of them.
                if (v == null) {
                    json.writeNull();
                } else if (v instanceof ResultStream.NumberText number) {
                    // A metric as the database wrote it in the row's JSON: passed on, neither parsed nor formatted.
                    json.writeNumber(number.chars(), number.offset(), number.length());
                } else if (v instanceof String s) {
                    if (jsonText[i]) {
                        json.writeRawValue(s); // PostgreSQL's JSON text, passed on: not parsed, not a string
                    } else if (s.isEmpty() && !emptyIsName[i]) {
                        json.writeNull(); // an empty text cell is null, as a table's missing value
                    } else {
                        json.writeString(s);
                    }
                } else if (v instanceof Instant t) {
                    int length = instants.format(t); // ISO-8601, as Instant.toString writes it
                    if (length < 0) {
                        json.writeString(t.toString());
                    } else {
                        json.writeString(instants.chars(), 0, length);
                    }
                } else if (v instanceof Long l) {
                    json.writeNumber(l);
                } else if (v instanceof Integer n) {
                    json.writeNumber(n.longValue());
                } else if (v instanceof Double d) {
                    if (Double.isFinite(d)) json.writeNumber(d); else json.writeNull();
                } else {
                    json.writeString(v.toString());
                }
            }
            json.writeEndObject();
        }

        void finish(long rows, Map<String, Object> tail) throws IOException {
            if (json == null) {
                return; // the query failed before its columns; the error handler answers
            }
            json.writeEndArray();
            json.writeNumberField("row_count", rows);
            for (Map.Entry<String, Object> e : tail.entrySet()) {
                json.writeFieldName(e.getKey());
                json.writeObject(e.getValue());
            }
            json.writeEndObject();
            json.close();
        }
    }
}
