package io.strata.container;

import io.strata.config.ProcessIds;
import io.strata.config.cluster.ClusterConfig;
import io.strata.config.resources.ProcessSlot;
import io.strata.control.process.CommandQueue;
import io.strata.control.process.ProcessContext;
import io.strata.control.process.ProcessService;
import io.strata.protocol.Frame;
import io.strata.protocol.auth.Authenticator;
import io.strata.protocol.auth.Credentials;
import io.strata.protocol.auth.Principal;
import io.strata.protocol.nio.Connection;
import io.strata.protocol.nio.FrameHandler;
import io.strata.protocol.nio.NioTransport;
import io.strata.protocol.nio.TransportContext;
import io.strata.runtime.Clock;
import io.strata.runtime.Release;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.agrona.concurrent.Agent;

/**
 * One role process: an agent on its own pinned thread whose duty cycle polls its network,
 * runs the commands other threads handed it, and lets its service (drive, compute or frontend)
 * do a bounded amount of work. It listens on {@code basePort + slot}; data-plane frames are
 * accepted from cluster members only.
 */
final class RoleProcess implements Agent, FrameHandler {
    private static final int COMMANDS_PER_CYCLE = 256;

    private final ProcessSlot slot;
    private final String name;
    private final ProcessService service;
    private final NioTransport transport;
    private final CommandQueue commands = new CommandQueue(CommandQueue.DEFAULT_CAPACITY);
    private final ProcessContext processContext;
    private final io.strata.control.process.PeerConnections peers;
    private final io.strata.control.process.Timers timers;
    private volatile boolean draining;
    private volatile boolean drained;
    private volatile boolean failed;

    RoleProcess(String hostname, String containerName, String address, ProcessSlot slot, Release release,
            Authenticator authenticator, Supplier<String> joinSecret, Supplier<Integer> containerId,
            Supplier<ClusterConfig> config, Clock clock, Path dataDir, ProcessService service,
            io.strata.control.process.ControlPlaneAccess controlPlane) {
        this.slot = slot;
        this.service = service;
        this.name = hostname + "/" + containerName + "/" + slot.role().wireName() + slot.slot();
        String subject = hostname + "/" + containerName;
        Credentials credentials = nonce -> {
            String secret = joinSecret.get();
            return secret == null ? null : Credentials.joinSecret(subject, secret).prove(nonce);
        };
        TransportContext transportContext = new TransportContext(name, new InetSocketAddress(address, slot.port()), release,
                authenticator, credentials, principal -> principal.kind() == Principal.Kind.MEMBER, () -> null, 0);
        this.transport = new NioTransport(transportContext, this, clock);
        Supplier<Integer> processId = () -> {
            Integer id = containerId.get();
            return id == null ? -1 : ProcessIds.processId(id, slot.slot());
        };
        this.peers = new io.strata.control.process.PeerConnections(transport, config, clock);
        this.timers = new io.strata.control.process.Timers(clock);
        this.processContext = new ProcessContext(slot.slot(), slot.role(), processId, hostname, containerName, transport,
                config, clock, dataDir, commands, peers, timers, controlPlane);
    }

    NioTransport transport() {
        return transport;
    }

    ProcessService service() {
        return service;
    }

    ProcessSlot slot() {
        return slot;
    }

    boolean isFailed() {
        return failed;
    }

    void markFailed() {
        failed = true;
    }

    void startDraining() {
        draining = true;
        transport.wakeup();
    }

    boolean isDrained() {
        return drained;
    }

    @Override
    public void onStart() {
        service.onStart(processContext);
    }

    /** How long until this process's next timer is due (its agent parks no longer); process thread only. */
    long nanosUntilNextTimer() {
        return timers.nanosUntilNext();
    }

    @Override
    public int doWork() {
        int work = transport.poll();
        work += commands.drain(COMMANDS_PER_CYCLE);
        work += peers.poll();
        work += timers.poll();
        work += service.doWork();
        if (draining && !drained) {
            drained = service.drain();
        }
        return work;
    }

    @Override
    public void onFrame(Connection connection, Frame frame) {
        if (connection.isOutgoing()) {
            peers.onResponse(frame);
            return;
        }
        service.onFrame(connection, frame);
    }

    @Override
    public void onReady(Connection connection) {
        service.onReady(connection);
    }

    @Override
    public void onClosed(Connection connection, String reason) {
        if (connection.isOutgoing()) {
            peers.onClosed(connection, reason);
        }
        service.onClosed(connection, reason);
    }

    @Override
    public void onClose() {
        try {
            service.onClose();
        } finally {
            transport.close();
        }
    }

    @Override
    public String roleName() {
        return name;
    }
}
