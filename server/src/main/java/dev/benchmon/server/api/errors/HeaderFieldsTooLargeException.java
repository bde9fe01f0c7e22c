package dev.benchmon.server.api.errors;

import java.util.List;
import java.util.Map;

/** 431: the request's headers, names and values together, are over the server's limit (RFC 6585, section 5). */
public final class HeaderFieldsTooLargeException extends ApiException {
    public HeaderFieldsTooLargeException(String message) {
        super(431, message, List.of(), Map.of());
    }
}
