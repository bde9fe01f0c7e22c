package dev.benchmon.server;

import dev.benchmon.Benchmon;

/**
 * What request handlers share: the toolkit (all queries and writes go through it; no SQL in the
 * server) and the tokens.
 */
public record ServerContext(Benchmon benchmon, Tokens tokens) {
}
