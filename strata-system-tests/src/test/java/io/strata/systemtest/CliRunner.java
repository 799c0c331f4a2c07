package io.strata.systemtest;

import io.strata.cli.Main;
import io.strata.cli.StrataHome;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the strata command in this JVM, as a person would type it, against one STRATA_HOME. */
final class CliRunner {
    record Result(int code, String out, String err) {
        Result expectSuccess() {
            if (code != 0) {
                throw new AssertionError("strata failed with exit " + code + ": " + err + out);
            }
            return this;
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    private final StrataHome home;
    private final List<String> log = new ArrayList<>();

    CliRunner(Path home) {
        this.home = new StrataHome(home);
    }

    StrataHome home() {
        return home;
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), home);
        Result result = new Result(code, out.toString(), err.toString());
        log.add("$ strata " + String.join(" ", args) + "\n" + result);
        return result;
    }

    List<String> log() {
        return log;
    }
}
