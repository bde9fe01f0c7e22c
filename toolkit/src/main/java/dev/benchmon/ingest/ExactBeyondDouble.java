package dev.benchmon.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;

import java.io.IOException;

/**
 * A parser that has the tree read a number literal beyond double range ({@code 1e400}, {@code -1e400}) as a
 * decimal node instead of a double: as a double it is Infinity, which cannot be told from the non-numeric
 * spelling {@code Infinity} (dropped with a warning in lenient mode) and would be reported as a value the user
 * never wrote. Every other number is read as before (a double, by the fast parser). Read the tree through this
 * parser ({@code mapper.readTree(parser)}, or a reader given it), not through the one it wraps.
 */
final class ExactBeyondDouble extends JsonParserDelegate {
    ExactBeyondDouble(JsonParser parser) {
        super(parser);
    }

    @Override
    public NumberTypeFP getNumberTypeFP() throws IOException {
        // isNaN is true only for the non-numeric tokens (NaN, Infinity), never for a literal that overflowed.
        if (currentToken() == JsonToken.VALUE_NUMBER_FLOAT && !isNaN() && Double.isInfinite(getDoubleValue())) {
            return NumberTypeFP.BIG_DECIMAL;
        }
        return super.getNumberTypeFP();
    }
}
