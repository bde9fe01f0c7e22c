package dev.benchmon.server.api.errors;

import java.util.List;
import java.util.Map;

/** 409: a valid request that the stored state refuses (results for a month detached from the log). */
public final class ConflictException extends ApiException {
    public ConflictException(String message, List<ErrorDetail> problems) {
        super(409, message, problems, Map.of());
    }
}
