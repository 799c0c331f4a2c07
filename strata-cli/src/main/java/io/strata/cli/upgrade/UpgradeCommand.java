package io.strata.cli.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.cli.BaseCommand;
import io.strata.cli.CliContext;
import io.strata.config.cluster.UpgradeState;
import io.strata.control.service.ManagementApi;
import io.strata.protocol.rpc.ControlClient;
import io.strata.protocol.rpc.NoParams;
import io.strata.runtime.Json;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code strata upgrade}: a rolling upgrade of the whole cluster, one container at a time. */
@Command(name = "upgrade", description = "Upgrade the cluster one container at a time while IO goes on.",
        subcommands = {UpgradeCommand.Start.class, UpgradeCommand.Status.class, UpgradeCommand.Pause.class,
            UpgradeCommand.Resume.class, UpgradeCommand.Abort.class})
public final class UpgradeCommand {

    @Command(name = "start", description = "Start upgrading every container to an installed release (drives, compute, frontend).")
    public static final class Start extends BaseCommand {
        @Option(names = "--version", required = true, paramLabel = "RELEASE")
        String release;

        @Option(names = "--allow-disruptive", description = "Also switch single-container servers, whose service stops meanwhile.")
        boolean allowDisruptive;

        @Option(names = "--dry-run", description = "Check and show the steps without starting.")
        boolean dryRun;

        @Override
        protected void run(CliContext cli) {
            try (ControlClient client = cli.management()) {
                JsonNode plan = client.call(ManagementApi.UPGRADE_START, Map.of("release", release, "allowDisruptive", allowDisruptive,
                        "dryRun", dryRun), 120_000);
                if (cli.json()) {
                    cli.printJson(plan);
                    return;
                }
                cli.out().printf("%s to %s, %d containers, in this order:%n", dryRun ? "an upgrade would go" : "upgrading",
                        release, plan.get("steps").size());
                plan.get("steps").forEach(step -> cli.out().println("  " + step.asText()));
                if (!dryRun) {
                    cli.out().println("follow it with 'strata upgrade status'");
                }
                cli.out().flush();
            }
        }
    }

    @Command(name = "status", description = "Phase, container being switched, done and left, last problem.")
    public static final class Status extends BaseCommand {
        @Override
        protected void run(CliContext cli) {
            try (ControlClient client = cli.management()) {
                UpgradeState upgrade = Json.fromTree(client.call(ManagementApi.UPGRADE_STATUS, NoParams.INSTANCE), UpgradeState.class);
                if (cli.json()) {
                    cli.printJson(upgrade);
                    return;
                }
                cli.out().printf("upgrade to %s: %s, phase %s%n", upgrade.targetRelease(), upgrade.status(), upgrade.phase());
                cli.out().printf("containers: %d done, %d left%s%n", upgrade.done().size(), upgrade.remaining().size(),
                        upgrade.current() == null ? "" : ", switching container " + upgrade.current());
                if (upgrade.lastProblem() != null) {
                    cli.out().printf("last problem: %s%n", upgrade.lastProblem());
                }
                upgrade.log().stream().skip(Math.max(0, upgrade.log().size() - 8)).forEach(line -> cli.out().println("  " + line));
                cli.out().flush();
            }
        }
    }

    abstract static class Change extends BaseCommand {
        abstract String method();

        @Override
        protected void run(CliContext cli) {
            try (ControlClient client = cli.management()) {
                UpgradeState upgrade = Json.fromTree(client.call(method(), NoParams.INSTANCE), UpgradeState.class);
                cli.out().printf("upgrade to %s: %s%n", upgrade.targetRelease(), upgrade.status());
                cli.out().flush();
            }
        }
    }

    @Command(name = "pause", description = "Pause after the container being switched.")
    public static final class Pause extends Change {
        @Override
        String method() {
            return ManagementApi.UPGRADE_PAUSE;
        }
    }

    @Command(name = "resume", description = "Resume a paused upgrade.")
    public static final class Resume extends Change {
        @Override
        String method() {
            return ManagementApi.UPGRADE_RESUME;
        }
    }

    @Command(name = "abort", description = "Stop the upgrade; containers already switched stay on the new release.")
    public static final class Abort extends Change {
        @Override
        String method() {
            return ManagementApi.UPGRADE_ABORT;
        }
    }
}
