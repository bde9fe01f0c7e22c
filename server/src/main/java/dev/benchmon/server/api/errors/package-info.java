/**
 * The API's error responses: one exception per status, each carrying the details and headers it
 * answers with, and {@link dev.benchmon.server.api.errors.ErrorResponses}, which turns any exception
 * into the JSON body {@code {"error": ..., "details": [...], "request_id": ...}} without leaking
 * stack traces.
 */
package dev.benchmon.server.api.errors;
