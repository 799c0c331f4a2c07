package io.strata.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A verb: reaches the shared options through the root command and returns its exit code. */
public abstract class BaseCommand implements Callable<Integer> {
    @Spec
    protected CommandSpec spec;

    protected CliContext cli() {
        return ((StrataCommand) spec.root().userObject()).context();
    }

    @Override
    public final Integer call() throws Exception {
        run(cli());
        return 0;
    }

    protected abstract void run(CliContext cli) throws Exception;
}
