package io.strata.control.service;

import io.strata.config.Role;
import io.strata.config.cluster.ClusterConfig;
import io.strata.config.cluster.ConfigCommand;
import io.strata.config.cluster.ControlState;
import io.strata.config.cluster.Health;
import java.util.List;
import java.util.Map;

/** The parameters and replies of the management processes' methods. */
public final class ManagementMessages {
    private ManagementMessages() {
    }

    public record ContainerRef(String container) {
    }

    public record LoginRequest(String user, String password) {
        @Override
        public String toString() {
            return "LoginRequest[" + user + ", <hidden>]";
        }
    }

    public record LoginReply(String token, long expiresAtMillis, String user, String role) {
        @Override
        public String toString() {
            return "LoginReply[" + user + ", " + role + ", <hidden>]";
        }
    }

    public record UserRequest(String name, String role, String password) {
        @Override
        public String toString() {
            return "UserRequest[" + name + ", " + role + ", <hidden>]";
        }
    }

    public record SubmitRequest(ConfigCommand command) {
    }

    public record WatchRequest(long afterRevision, long timeoutMs) {
    }

    /** What a follower learns from a member: the whole replicated state (secrets included) and the leader. */
    public record WatchReply(ControlState state, Integer leaderContainerId) {
        @Override
        public String toString() {
            return "WatchReply[revision " + state.config().revision() + "]";
        }
    }

    /** A container's sign of life, sent every second to every member. */
    public record Heartbeat(int containerId, String hostname, String name, String release, long pid, long startedAtMillis,
            Map<Integer, Health> processHealth, boolean draining, long sentAtMillis, int protocol) {
    }

    /** A host agent reporting that one of its containers ended. */
    public record ExitReport(String hostname, String name, String reason, long atMillis) {
    }

    public record AddServerRequest(String host, int agentPort) {
    }

    public record ManagementInfo(String hostname, String container, Integer containerId, String clusterId, String release,
            int protocol, boolean member, boolean ready) {
    }

    /** {@code cpu} is the CPU the process is pinned to, -1 when it is not pinned. */
    public record ProcessRuntime(int slot, Role role, Integer coreId, int cpu, int threadId, boolean running, int port) {
    }

    public record ContainerRuntimeStatus(String name, String release, boolean ready, boolean draining, long pid,
            long startedAtMillis, List<ProcessRuntime> processes) {
    }

    /**
     * The configuration as one management process answers it. {@code stale} is true when a
     * follower could not reach any member lately; {@code ageMs} says how old its copy is.
     */
    public record ClusterView(ClusterConfig config, Integer leaderContainerId, Integer answeredBy, boolean stale, long ageMs) {
    }

    public record DriveAddRequest(String container, List<String> paths, boolean force) {
    }

    public record DriveFormatRequest(String clusterId, List<String> paths, boolean force) {
    }

    public record FormattedDrive(String path, String uuid, long sizeBytes, long regionBytes, long firstRegionAddress, int regionCount) {
    }

    public record FilesystemRequest(String name, long capacityBytes) {
    }

    public record MountRequest(String filesystem, String mountpoint) {
    }

    public record MountInfo(String filesystem, String mountpoint, int frontendSlot, long mountedAtMillis) {
    }
}
