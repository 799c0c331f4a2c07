package io.strata.runtime;

import java.io.File;
import java.util.List;

/** Child processes started the way Strata starts them all: no input, output and errors together where the caller says. */
public final class ChildProcesses {
    private static final ProcessBuilder.Redirect NO_INPUT = ProcessBuilder.Redirect.from(new File("/dev/null"));

    private ChildProcesses() {
    }

    /**
     * A builder for {@code command} that reads nothing (a child waiting on our stdin would hang)
     * and writes its output and errors to {@code output}: a file, never a pipe nobody drains.
     */
    public static ProcessBuilder logged(List<String> command, ProcessBuilder.Redirect output) {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output).redirectInput(NO_INPUT);
    }
}
