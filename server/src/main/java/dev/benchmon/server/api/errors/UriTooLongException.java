package dev.benchmon.server.api.errors;

import java.util.List;
import java.util.Map;

/** 414: the request's URL with its query is over the server's limit. */
public final class UriTooLongException extends ApiException {
    public UriTooLongException(String message) {
        super(414, message, List.of(), Map.of());
    }
}
