package dev.benchmon.server.cli;

import picocli.CommandLine.Option;

/** {@link ServerOptions} of a command that writes ({@code metrics define}): a write token. */
final class ServerWriteOptions extends ServerOptions {
    ServerWriteOptions() {
        super(ClientTokens.Role.WRITE, "writes to");
    }

    @Option(names = "--token", paramLabel = "T", description = "Write token for --server (" + ClientTokens.WRITE_DEFAULT
            + "); refused without --server, where no token applies.")
    void token(String token) {
        this.token = token;
    }
}
