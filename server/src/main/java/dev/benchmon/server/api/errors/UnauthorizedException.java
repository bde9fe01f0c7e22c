package dev.benchmon.server.api.errors;

import java.util.List;
import java.util.Map;

/** 401: no token, or a token the server does not know. Tells the client how to authenticate. */
public final class UnauthorizedException extends ApiException {
    public UnauthorizedException(String message) {
        super(401, message, List.of(), Map.of("WWW-Authenticate", "Bearer realm=\"benchmon\""));
    }
}
