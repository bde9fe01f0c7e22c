package dev.benchmon.ingest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.ValidationException;
import dev.benchmon.ValidationException.Problem;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The result objects of a JSON input read one at a time with Jackson's streaming parser, so that a file
 * of any size is read in constant memory: one object, an array of them, {@code {"results": [...],
 * "metric_definitions": {...}}} or JSON Lines (one object per line; the first may be {@code {"metric_definitions":
 * {...}}} alone, read before the results). Each element is returned before
 * validation, as {@link ResultJson#elements} would list it; {@link #wrapperFields()} gives, after the
 * last element, the wrapper's other fields ({@code metric_definitions}) for {@link ResultJson#definitions}.
 *
 * <p>Errors: malformed JSON and a key given twice throw {@link ValidationException} naming the place
 * ({@code body}, or the key), as {@link ResultJson#readRoots} does (in JSON Lines, an object not closed on its line is
 * named by that line; JSON that ends too soon, where its content ends, not after the line breaks that follow it);
 * reading errors are
 * {@link UncheckedIOException}.
 */
public final class JsonResultReader implements Iterator<JsonNode>, Closeable, ResultLines {
    private final JsonParser parser;
    private final ContentEnd contentEnd = new ContentEnd(); // of what the parser read: where JSON that ends too soon ends
    private ObjectNode object;        // a root object being read field by field
    private boolean objectIsWrapper;  // its "results" array was streamed
    private boolean inArray;          // between a streamed array's brackets
    private final List<ObjectNode> wrappers = new ArrayList<>();
    private boolean definitionsLine;  // the first value is {"metric_definitions": ...} alone (ResultJson.isDefinitionsLine)
    private int roots;
    private JsonNode next;
    private boolean done;
    // JSON Lines (the first value is an object on one line): where the root object being read starts, and where the
    // last of its fields read ends, to name the line of an object not closed on its line (see unclosedLine).
    private boolean lines;
    private JsonLocation rootStart;
    private JsonLocation readTo;
    private long line;     // where the result advance() read last starts
    private long nextLine; // where the result held in next starts

    /** Reads from {@code in} (closed by {@link #close()}). */
    public JsonResultReader(Reader in) {
        try {
            this.parser = new ExactBeyondDouble(ResultJson.MAPPER.createParser(contentEnd.reader(in)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            next = advance();
            done = next == null;
        }
        return next != null;
    }

    @Override
    public JsonNode next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        JsonNode n = next;
        next = null;
        nextLine = line;
        return n;
    }

    @Override
    public long line() {
        return nextLine;
    }

    /**
     * The {@code {"results": [...]}} wrapper's fields other than {@code results} (with {@code results}
     * as an empty array), once the stream is exhausted; empty when the input had no wrapper.
     *
     * @throws ValidationException when a wrapper was not the only value of the input
     */
    public List<ObjectNode> wrapperFields() {
        if (definitionsLine && wrappers.size() == 1 && roots > 1) { // JSON Lines' definitions, then its results
            ObjectNode stated = wrappers.get(0).deepCopy();
            stated.putArray("results");
            return List.of(stated);
        }
        if (!wrappers.isEmpty() && roots > 1) {
            throw new ValidationException(Problem.of("results", "an object with \"results\" must be the only value of "
                    + "the input (got " + roots + " values)"));
        }
        return wrappers;
    }

    private JsonNode advance() {
        try {
            while (true) {
                if (inArray) {
                    JsonToken t = parser.nextToken();
                    if (t == JsonToken.END_ARRAY) {
                        inArray = false;
                        continue;
                    }
                    if (t == null) {
                        throw new ValidationException(Problem.of("body", "is not valid JSON: the array is not closed"));
                    }
                    line = parser.currentTokenLocation().getLineNr();
                    return ResultJson.MAPPER.readTree(parser);
                }
                if (object != null) {
                    JsonToken t = parser.nextToken();
                    if (t == JsonToken.END_OBJECT) {
                        ObjectNode done = object;
                        object = null;
                        if (roots == 1) {
                            lines = parser.currentLocation().getLineNr() == rootStart.getLineNr();
                        }
                        if (roots == 1 && ResultJson.isDefinitionsLine(done)) {
                            definitionsLine = true; // {"metric_definitions": ...} alone, first: results may follow
                        }
                        if (objectIsWrapper || isWrapper(done)) {
                            if (!done.has("results")) {
                                done.putArray("results"); // streamed, or missing: ResultJson.elements names the latter
                            }
                            if (!objectIsWrapper) {
                                done.remove("results"); // not an array: leave the problem for ResultJson.elements
                            }
                            wrappers.add(done);
                            continue;
                        }
                        line = rootStart.getLineNr();
                        return done;
                    }
                    if (t != JsonToken.FIELD_NAME) {
                        throw new ValidationException(Problem.of("body", "is not valid JSON: the object is not closed"));
                    }
                    String name = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (name.equals("results") && value == JsonToken.START_ARRAY && !object.has("model_version")
                            && !objectIsWrapper) {
                        objectIsWrapper = true;
                        inArray = true;
                        continue;
                    }
                    object.set(name, ResultJson.MAPPER.readTree(parser));
                    readTo = parser.currentLocation();
                    continue;
                }
                JsonToken t = parser.nextToken();
                if (t == null) {
                    return null;
                }
                roots++;
                if (t == JsonToken.START_ARRAY) {
                    inArray = true;
                } else if (t == JsonToken.START_OBJECT) {
                    object = ResultJson.MAPPER.createObjectNode();
                    objectIsWrapper = false;
                    rootStart = parser.currentTokenLocation();
                    readTo = parser.currentLocation();
                } else {
                    line = parser.currentTokenLocation().getLineNr();
                    return ResultJson.MAPPER.readTree(parser); // not an object: validation names it
                }
            }
        } catch (JsonEOFException e) { // placed where the content ends, not after the line breaks that follow it
            throw new ValidationException(ResultJson.resultsJsonProblem(e, contentEnd.after(e.getLocation())));
        } catch (JsonProcessingException e) {
            throw new ValidationException(unclosedLine(e).orElseGet(() -> ResultJson.resultsJsonProblem(e)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * In JSON Lines, an object that its line does not close: the parser reads on and fails on a later line ({@code a ','
     * or '}' must follow a value in an object, got '{'} on line 4 for line 3's missing brace), but JSON Lines holds one
     * value per line, so the problem is the object's line, named as a parser of that line alone names it.
     */
    private Optional<Problem> unclosedLine(JsonProcessingException e) {
        if (!lines || object == null || e.getLocation() == null || e.getLocation().getLineNr() <= rootStart.getLineNr()) {
            return Optional.empty();
        }
        JsonLocation end = readTo.getLineNr() == rootStart.getLineNr() ? readTo : rootStart;
        return Optional.of(Problem.of("body", "is not valid JSON: " + ResultJson.unclosed("object", rootStart.getLineNr(),
                rootStart.getColumnNr()) + ResultJson.location(end.getLineNr(), end.getColumnNr())));
    }

    private static boolean isWrapper(ObjectNode o) {
        return (o.has("results") || o.has("metric_definitions")) && !o.has("model_version");
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
