package dev.benchmon.server.api.errors;

import dev.benchmon.ValidationException;

/**
 * One specific thing wrong with a request.
 *
 * @param index   position of the result in a batch, or {@code null}
 * @param field   the field or query parameter at fault, or {@code null}
 * @param message what is wrong and what is allowed
 */
public record ErrorDetail(Integer index, String field, String message) {
    /** A detail about a field or parameter. */
    public static ErrorDetail of(String field, String message) {
        return new ErrorDetail(null, field, message);
    }

    /** The same problem as the toolkit reported it. */
    public static ErrorDetail of(ValidationException.Problem problem) {
        return new ErrorDetail(problem.index(), problem.field(), problem.message());
    }
}
