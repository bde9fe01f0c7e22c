package dev.benchmon.server.cli;

import picocli.CommandLine.Option;

/** {@link ServerOptions} of a command that reads ({@code compare}, {@code export}, {@code metrics list}): a read token. */
final class ServerReadOptions extends ServerOptions {
    ServerReadOptions() {
        super(ClientTokens.Role.READ, "reads");
    }

    @Option(names = "--token", paramLabel = "T", description = "Read token for --server (" + ClientTokens.READ_DEFAULT
            + "); refused without --server, where no token applies.")
    void token(String token) {
        this.token = token;
    }
}
