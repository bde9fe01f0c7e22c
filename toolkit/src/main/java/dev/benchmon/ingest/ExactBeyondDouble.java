package dev.benchmon.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;

import java.io.IOException;

/**
 * A parser that has the tree read a number literal beyond double range ({@code 1e400}, {@code -1e400}) as a
 * decimal node instead of a double: as a double it is Infinity, which cannot be told from the non-numeric
 * spelling {@code Infinity} (dropped with a warning in lenient mode) and would be reported as a value the user
 * never wrote. A number among a result's tags is read as a decimal too (see {@link #isTagValue}). Every other number
 * is read as before (a double, by the fast parser). Read the tree through this
 * parser ({@code mapper.readTree(parser)}, or a reader given it), not through the one it wraps.
 */
final class ExactBeyondDouble extends JsonParserDelegate {
    /** Whether the root value is a result's tags object on its own (a CSV {@code tags} cell), not a result. */
    private final boolean rootIsTags;

    ExactBeyondDouble(JsonParser parser) {
        this(parser, false);
    }

    ExactBeyondDouble(JsonParser parser, boolean rootIsTags) {
        super(parser);
        this.rootIsTags = rootIsTags;
    }

    @Override
    public NumberTypeFP getNumberTypeFP() throws IOException {
        // isNaN is true only for the non-numeric tokens (NaN, Infinity), never for a literal that overflowed.
        if (currentToken() == JsonToken.VALUE_NUMBER_FLOAT && !isNaN()
                && (Double.isInfinite(getDoubleValue()) || isTagValue())) {
            return NumberTypeFP.BIG_DECIMAL;
        }
        return super.getNumberTypeFP();
    }

    /**
     * Whether the number is a value of a result's {@code tags} object: it is refused, naming it as written ({@code 1e3},
     * {@code 1.50}), which a double no longer knows. Only a result's own tags (an object in the input's root or in an
     * array), not a {@code "tags"} key within metadata, which is stored as read; or a value of the root object when it
     * is a tags object on its own.
     */
    private boolean isTagValue() {
        JsonStreamContext tags = getParsingContext();
        JsonStreamContext result = tags.getParent();
        if (rootIsTags) {
            return tags.inObject() && result != null && result.inRoot();
        }
        return tags.inObject() && result != null && result.inObject() && "tags".equals(result.getCurrentName())
                && (result.getParent() == null || result.getParent().inRoot() || result.getParent().inArray());
    }
}
