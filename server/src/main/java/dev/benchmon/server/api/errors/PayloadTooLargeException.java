package dev.benchmon.server.api.errors;

import java.util.List;
import java.util.Map;

/** 413: the body, or the number of results in it, is over the server's limit. */
public final class PayloadTooLargeException extends ApiException {
    public PayloadTooLargeException(String message) {
        super(413, message, List.of(), Map.of());
    }
}
