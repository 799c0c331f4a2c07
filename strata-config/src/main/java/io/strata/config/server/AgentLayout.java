package io.strata.config.server;

import java.nio.file.Path;

/**
 * Where a host agent keeps everything, under one root folder:
 *
 * <pre>
 * agent.json                      who this server is ({@link ServerIdentity})
 * secrets/local.key               0600: proves the host's administrator to the agent and containers
 * secrets/join.secret             0600: proves this server's containers to the cluster
 * cluster/membership.json         the cluster this server joined
 * versions/&lt;release&gt;/lib/*.jar    installed releases, side by side
 * containers/&lt;name&gt;/container.json  a container's definition ({@link ContainerDefinition})
 * containers/&lt;name&gt;/container.pid   the pid of its running JVM
 * containers/&lt;name&gt;/data/        what its processes keep (Raft logs, ...)
 * containers/&lt;name&gt;/logs/container.log
 * logs/agent.log
 * </pre>
 */
public record AgentLayout(Path root) {
    public Path identityFile() {
        return root.resolve("agent.json");
    }

    public Path localKeyFile() {
        return root.resolve("secrets").resolve("local.key");
    }

    public Path joinSecretFile() {
        return root.resolve("secrets").resolve("join.secret");
    }

    public Path membershipFile() {
        return root.resolve("cluster").resolve("membership.json");
    }

    public Path versionsDir() {
        return root.resolve("versions");
    }

    public Path versionDir(String release) {
        return versionsDir().resolve(release);
    }

    public Path containersDir() {
        return root.resolve("containers");
    }

    public Path containerDir(String name) {
        return containersDir().resolve(name);
    }

    public Path definitionFile(String name) {
        return containerDir(name).resolve("container.json");
    }

    public Path pidFile(String name) {
        return containerDir(name).resolve("container.pid");
    }

    public Path dataDir(String name) {
        return containerDir(name).resolve("data");
    }

    public Path containerLog(String name) {
        return containerDir(name).resolve("logs").resolve("container.log");
    }

    /** Where the host agent keeps FUSE sessions a frontend container hands over while it restarts. */
    public Path fuseKeeperSocket() {
        return root.resolve("run").resolve("fuse-sessions.sock");
    }

    public Path agentLog() {
        return root.resolve("logs").resolve("agent.log");
    }
}
