package io.strata.config;

/**
 * How processes and their ports are numbered. A container owns 20 process ids and 100 ports:
 * slot 0 is its management process, slots 1..19 its role processes.
 */
public final class ProcessIds {
    /** Role processes a container may hold; slot 0 is the management process. */
    public static final int MAX_ROLE_PROCESSES = 19;
    public static final int SLOTS_PER_CONTAINER = MAX_ROLE_PROCESSES + 1;
    /** Ports a container owns from its base port. */
    public static final int PORTS_PER_CONTAINER = 100;
    /** Offset of a process's consensus (Raft) port from its own port, still inside the container's range. */
    public static final int RAFT_PORT_OFFSET = 50;

    public static final int DRIVES_BASE_PORT = 14000;
    /** The host agent listens below every container's range, so no container's ports can take it. */
    public static final int AGENT_PORT = 13900;
    public static final int FRONTEND_BASE_PORT = 14200;
    public static final int COMPUTE_BASE_PORT = 14300;
    /** The single-container layout's container. */
    public static final int DEFAULT_BASE_PORT = 14000;

    private ProcessIds() {
    }

    public static int processId(int containerId, int slot) {
        return containerId * SLOTS_PER_CONTAINER + slot;
    }

    public static int containerOf(int processId) {
        return processId / SLOTS_PER_CONTAINER;
    }

    public static int slotOf(int processId) {
        return processId % SLOTS_PER_CONTAINER;
    }

    public static int port(int basePort, int slot) {
        return basePort + slot;
    }

    public static int raftPort(int basePort, int slot) {
        return basePort + slot + RAFT_PORT_OFFSET;
    }

    /** The well-known base ports, in the order a client tries them to find a management process. */
    public static int[] wellKnownManagementPorts() {
        return new int[] {DRIVES_BASE_PORT, COMPUTE_BASE_PORT, FRONTEND_BASE_PORT, DRIVES_BASE_PORT + 100,
                COMPUTE_BASE_PORT + 100, COMPUTE_BASE_PORT + 200};
    }
}
