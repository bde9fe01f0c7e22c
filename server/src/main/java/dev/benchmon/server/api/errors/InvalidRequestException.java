package dev.benchmon.server.api.errors;

import java.util.List;
import java.util.Map;

/** 400: the request is malformed or its content invalid; the details name every problem. */
public final class InvalidRequestException extends ApiException {
    public InvalidRequestException(String message, List<ErrorDetail> problems) {
        super(400, message, problems, Map.of());
    }

    /** A single problem with one field or parameter. */
    public static InvalidRequestException of(String field, String message) {
        return new InvalidRequestException("invalid " + field + ": " + message, List.of(ErrorDetail.of(field, message)));
    }
}
