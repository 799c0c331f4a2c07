package io.strata.cli;

import io.strata.runtime.ErrorCode;
import io.strata.runtime.StrataException;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The entry point of {@code strata}. Every failure ends in one line on stderr,
 * {@code error: ...}, and a non-zero exit code that says what kind of failure it was.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = run(args, out, err, StrataHome.fromEnvironment());
        out.flush();
        err.flush();
        System.exit(code);
    }

    public static int run(String[] args, PrintWriter out, PrintWriter err, StrataHome home) {
        StrataCommand root = new StrataCommand();
        root.io(out, err, home);
        CommandLine commandLine = new CommandLine(root);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler((e, args1) -> {
            CommandLine failed = e.getCommandLine();
            err.println("error: " + e.getMessage() + " (see '" + failed.getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return ErrorCode.INVALID_ARGUMENT.exitCode();
        });
        commandLine.setExecutionExceptionHandler((e, failed, parseResult) -> {
            if (e instanceof StrataException strata) {
                err.println("error: " + strata.getMessage());
                err.flush();
                return strata.code().exitCode();
            }
            err.println("error: internal: " + e);
            e.printStackTrace(err);
            err.flush();
            return ErrorCode.INTERNAL.exitCode();
        });
        return commandLine.execute(args);
    }
}
