package io.strata.control.service;

import com.fasterxml.jackson.core.type.TypeReference;
import io.strata.config.Role;
import io.strata.config.agent.AgentApi;
import io.strata.config.agent.VersionEntry;
import io.strata.config.cluster.ClusterConfig;
import io.strata.config.cluster.ConfigCommand;
import io.strata.config.cluster.ContainerEntry;
import io.strata.config.cluster.ServerEntry;
import io.strata.config.cluster.UpgradeState;
import io.strata.protocol.auth.Credentials;
import io.strata.protocol.rpc.ControlClient;
import io.strata.protocol.rpc.NoParams;
import io.strata.runtime.Json;
import io.strata.runtime.StrataException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@code strata upgrade start|status|pause|resume|abort}: checks, then records, what the coordinator carries out. */
final class Upgrades {
    record StartRequest(String release, boolean allowDisruptive, boolean dryRun) {
    }

    record Plan(String release, List<String> steps, List<String> refusals) {
    }

    private final ManagementService service;

    Upgrades(ManagementService service) {
        this.service = service;
    }

    Object start(StartRequest request) {
        ClusterConfig config = service.config();
        if (config.upgrade() != null && config.upgrade().isActive()) {
            throw StrataException.conflict("an upgrade to %s is %s; abort it first", config.upgrade().targetRelease(),
                    config.upgrade().status().toLowerCase());
        }
        Plan plan = plan(config, request);
        if (!plan.refusals().isEmpty()) {
            throw StrataException.invalid("%s", String.join("; ", plan.refusals()));
        }
        if (request.dryRun()) {
            return plan;
        }
        List<Integer> remaining = order(config, request.release());
        UpgradeState upgrade = new UpgradeState(request.release(), "DRIVES", UpgradeState.RUNNING, null, List.of(), remaining, null,
                service.context().clock().epochMillis(), service.context().clock().epochMillis(), request.allowDisruptive(),
                List.of(java.time.Instant.ofEpochMilli(service.context().clock().epochMillis()) + " upgrade to " + request.release()
                        + " started: " + remaining.size() + " containers to switch"));
        service.submit(new ConfigCommand.SetUpgrade(upgrade));
        return plan;
    }

    /** Drives containers first, then compute, then frontend, then single containers; by id within a phase. */
    static List<Integer> order(ClusterConfig config, String release) {
        List<ContainerEntry> containers = new ArrayList<>(config.containerList().stream()
                .filter(c -> !c.release().equals(release)).toList());
        containers.sort(Comparator.comparingInt((ContainerEntry c) -> {
            List<Role> roles = c.roles();
            if (roles.size() > 1) {
                return 3;
            }
            return roles.contains(Role.DRIVE) ? 0 : roles.contains(Role.COMPUTE) ? 1 : 2;
        }).thenComparingInt(ContainerEntry::id));
        return containers.stream().map(ContainerEntry::id).toList();
    }

    private Plan plan(ClusterConfig config, StartRequest request) {
        List<String> refusals = new ArrayList<>();
        List<String> steps = new ArrayList<>();
        Integer targetProtocol = null;
        for (ServerEntry server : config.servers().values()) {
            List<VersionEntry> versions;
            try (ControlClient agent = ControlClient.connect(new InetSocketAddress(server.address(), server.agentPort()),
                    Credentials.NONE, "management")) {
                versions = Json.mapper().convertValue(agent.call(AgentApi.VERSION_LIST, NoParams.INSTANCE),
                        new TypeReference<List<VersionEntry>>() { });
            } catch (StrataException e) {
                refusals.add("cannot reach the host agent of " + server.hostname() + ": " + e.getMessage());
                continue;
            }
            VersionEntry target = versions.stream().filter(v -> v.release().equals(request.release())).findFirst().orElse(null);
            if (target == null) {
                refusals.add("release " + request.release() + " is not installed on " + server.hostname()
                        + " ('strata version install' it there first)");
                continue;
            }
            targetProtocol = target.protocol();
            for (ContainerEntry container : config.containerList()) {
                if (!container.hostname().equals(server.hostname()) || container.release().equals(request.release())) {
                    continue;
                }
                VersionEntry current = versions.stream().filter(v -> v.release().equals(container.release())).findFirst().orElse(null);
                int from = current == null ? container.protocol() : current.protocol();
                if (Math.abs(from - target.protocol()) > 1) {
                    refusals.add("container " + container.qualifiedName() + " runs " + container.release() + " (protocol " + from
                            + "): moving to " + request.release() + " (protocol " + target.protocol() + ") "
                            + (target.protocol() > from ? "skips" : "goes back more than") + " one release");
                }
                if (container.roles().size() > 1 && !request.allowDisruptive()) {
                    refusals.add(server.hostname() + " runs the single-container layout: its service stops while container "
                            + container.name() + " switches; add --allow-disruptive to accept that");
                }
            }
        }
        for (int id : order(config, request.release())) {
            ContainerEntry container = config.container(id);
            steps.add(container.id() + " " + container.qualifiedName() + ": " + container.release() + " -> " + request.release());
        }
        if (steps.isEmpty() && refusals.isEmpty()) {
            refusals.add("every container runs " + request.release() + " already");
        }
        return new Plan(request.release(), steps, refusals);
    }

    Object status() {
        UpgradeState upgrade = service.config().upgrade();
        if (upgrade == null) {
            throw StrataException.notFound("no upgrade has been started");
        }
        return upgrade;
    }

    Object change(String status) {
        UpgradeState upgrade = service.config().upgrade();
        if (upgrade == null || !upgrade.isActive()) {
            throw StrataException.conflict("no upgrade is running or paused");
        }
        boolean resume = UpgradeState.RUNNING.equals(status);
        if (resume && !UpgradeState.PAUSED.equals(upgrade.status())) {
            throw StrataException.conflict("the upgrade is %s, not paused", upgrade.status().toLowerCase());
        }
        String line = switch (status) {
            case UpgradeState.PAUSED -> "paused by the operator (after the container being switched, if any)";
            case UpgradeState.ABORTED -> "aborted by the operator; containers done stay on " + upgrade.targetRelease();
            default -> "resumed by the operator";
        };
        UpgradeState next = upgrade.with(upgrade.phase(), status, upgrade.current(), upgrade.done(), upgrade.remaining(),
                upgrade.lastProblem(), service.context().clock().epochMillis(), line);
        service.submit(new ConfigCommand.SetUpgrade(next));
        return next;
    }
}
