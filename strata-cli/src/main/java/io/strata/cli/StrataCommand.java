package io.strata.cli;

import io.strata.cli.cluster.ClusterCommand;
import io.strata.cli.fs.FsCommand;
import io.strata.cli.fs.MountCommand;
import io.strata.cli.local.LocalCommand;
import io.strata.cli.resources.ResourcesCommand;
import io.strata.cli.sandbox.SandboxCommand;
import io.strata.cli.user.UserCommand;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code strata} command: the root of every verb, holding the options every verb shares. */
@Command(name = "strata", versionProvider = VersionProvider.class,
        description = "Strata: a distributed parallel file system built of separately versioned containers.",
        subcommands = {StatusCommand.class, ClusterCommand.class, FsCommand.class, MountCommand.class, MountCommand.Umount.class,
            LocalCommand.class, ResourcesCommand.class, io.strata.cli.version.VersionCommand.class,
            io.strata.cli.upgrade.UpgradeCommand.class,
            UserCommand.class,
            SandboxCommand.class, io.strata.cli.bench.BenchCommand.class},
        synopsisSubcommandLabel = "COMMAND")
public final class StrataCommand {
    /** Inherited: every command, down to the leaves, answers --help, where each one-line error points. */
    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help.")
    boolean help;

    /** Not inherited: {@code upgrade start --version} names a release. */
    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the release and exit.")
    boolean version;

    @Option(names = {"-H", "--host"}, scope = ScopeType.INHERIT, paramLabel = "HOST[:PORT]",
            description = "The server (or, with a port, the process) to talk to. Default: $STRATA_HOST, the running sandbox's first server, or 127.0.0.1.")
    String host;

    @Option(names = {"-J", "--json"}, scope = ScopeType.INHERIT, description = "Print JSON instead of a table.")
    boolean json;

    @Option(names = "--agent-root", scope = ScopeType.INHERIT, paramLabel = "DIR", hidden = true,
            description = "The host agent's root folder, for its local key (default: $STRATA_AGENT_ROOT or /var/lib/strata/agent).")
    String agentRoot;

    private PrintWriter out;
    private PrintWriter err;
    private StrataHome home;

    void io(PrintWriter out, PrintWriter err, StrataHome home) {
        this.out = out;
        this.err = err;
        this.home = home;
    }

    /** Whether -J/--json was given, for verbs that do not build a full context. */
    public boolean json() {
        return json;
    }

    CliContext context() {
        return new CliContext(host, json, agentRoot, out, err, home);
    }
}
