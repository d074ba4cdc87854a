package org.hopdeq4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.hopdeq4j.data.DataFormatException;
import org.hopdeq4j.io.FileFormatException;
import org.hopdeq4j.linalg.KernelWarmUp;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code hopdeq4j} command line. */
@Command(name = "hopdeq4j", mixinStandardHelpOptions = true, version = "hopdeq4j 0.1.0",
    description = "Hopfield networks (HAMs) as Deep Equilibrium Models: find their equilibria"
        + " with fast fixed-point solvers and even-odd splitting.",
    subcommands = {DemoCommand.class, TrainCommand.class, EvaluateCommand.class,
        BenchCommand.class})
public final class Main implements Runnable {

    /** Exit status for a user error. */
    static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        if (args.length > 0 && !args[0].startsWith("-")) {
            // a command that computes: let the JIT compile the Vector API kernels on the spare
            // core while the data and weights load
            KernelWarmUp.startInBackground();
        }
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit status (0 success, 2 user error). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            Throwable cause = ex;
            if (cause instanceof UncheckedIOException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof UserError || cause instanceof FileFormatException
                || cause instanceof DataFormatException
                || cause instanceof IllegalArgumentException
                || cause instanceof java.nio.file.NoSuchFileException) {
                String message = cause instanceof java.nio.file.NoSuchFileException
                    ? "no such file: " + cause.getMessage() : cause.getMessage();
                commandLine.getErr().println("hopdeq4j: " + message);
                return USAGE;
            }
            if (cause instanceof IOException) {
                commandLine.getErr().println("hopdeq4j: " + cause);
                return 1;
            }
            throw ex;
        });
        cli.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("hopdeq4j: " + ex.getMessage()
                + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
            return USAGE;
        });
        return cli.execute(args);
    }
}
