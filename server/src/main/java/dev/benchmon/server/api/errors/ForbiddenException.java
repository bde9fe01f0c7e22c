package dev.benchmon.server.api.errors;

import java.util.List;
import java.util.Map;

/** 403: a valid token that does not allow this (the read token used to write). */
public final class ForbiddenException extends ApiException {
    public ForbiddenException(String message) {
        super(403, message, List.of(), Map.of());
    }
}
