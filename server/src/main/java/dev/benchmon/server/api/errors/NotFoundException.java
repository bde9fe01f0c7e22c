package dev.benchmon.server.api.errors;

import java.util.List;
import java.util.Map;

/** 404: no such route, or a query named a model or metric the database does not hold. */
public final class NotFoundException extends ApiException {
    public NotFoundException(String message) {
        super(404, message, List.of(), Map.of());
    }
}
