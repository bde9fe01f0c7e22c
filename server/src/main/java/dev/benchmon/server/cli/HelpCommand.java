package dev.benchmon.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;

/**
 * {@code benchmon help [COMMAND [SUBCOMMAND]]}: the help of the command named by the whole path, {@code help alerts
 * list} that of {@code alerts list} (picocli's own help command reads only the first name and showed {@code alerts}).
 * An unknown name is refused in one line (exit 2), naming the commands there are.
 */
@Command(name = "help", helpCommand = true, description = "Show the help of a command: benchmon help alerts list.")
final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable {
    @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean helpRequested;

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command, and its subcommand (alerts list).")
    String[] names = {};

    private CommandLine self;
    private CommandLine.Help.ColorScheme colors;
    private PrintWriter out;

    @Override
    public void init(CommandLine helpCommandLine, CommandLine.Help.ColorScheme colorScheme, PrintWriter outWriter,
                     PrintWriter errWriter) {
        this.self = helpCommandLine;
        this.colors = colorScheme;
        this.out = outWriter;
    }

    @Override
    public void run() {
        CommandLine target = self.getParent();
        for (String name : names) {
            CommandLine sub = target.getSubcommands().get(name);
            if (sub == null) {
                // Said about the command it was looked for in: "see benchmon alerts --help", not the help command's help.
                throw new CommandLine.ParameterException(target, "unknown command '" + target.getCommandSpec().qualifiedName()
                        + " " + name + "'" + Main.commandsOf(target));
            }
            target = sub;
        }
        target.usage(out, colors);
    }
}
