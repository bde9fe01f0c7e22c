package dev.benchmon.server.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A command that only groups others ({@code alerts}, {@code metrics}, {@code kernel}): named alone it is a usage error
 * ({@link Main#needsACommand}); its commands reach {@code benchmon}'s own options through {@link #main}.
 */
abstract class CommandGroup implements Runnable {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw Main.needsACommand(spec);
    }
}
