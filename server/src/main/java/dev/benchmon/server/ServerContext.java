package dev.benchmon.server;

import dev.benchmon.Benchmon;
import dev.benchmon.server.alert.Alerting;

/**
 * What request handlers share: the toolkit (all queries and writes go through it; no SQL in the
 * server) and the tokens.
 */
public record ServerContext(Benchmon benchmon, Tokens tokens, Alerting alerting) {
    /** Without notifications, links or a triage token. */
    public ServerContext(Benchmon benchmon, Tokens tokens) {
        this(benchmon, tokens, Alerting.disabled(benchmon, tokens));
    }
}
