package dev.benchmon.server.api.errors;

import java.util.List;
import java.util.Map;

/** 415: the body's Content-Type is not one the endpoint reads. */
public final class UnsupportedMediaTypeException extends ApiException {
    public UnsupportedMediaTypeException(String message) {
        super(415, message, List.of(), Map.of());
    }
}
