package dev.benchmon.server.api.errors;

import java.util.List;
import java.util.Map;

/** 404: the alert, run or series named in the path does not exist. */
public final class NotFoundException extends ApiException {
    public NotFoundException(String field, String message) {
        super(404, message, List.of(ErrorDetail.of(field, message)), Map.of(), true); // the message is the problem
    }
}
