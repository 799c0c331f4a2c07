package io.strata.control.process;

import io.strata.config.ProcessIds;
import io.strata.config.cluster.ClusterConfig;
import io.strata.config.cluster.ContainerEntry;
import io.strata.protocol.Frame;
import io.strata.protocol.nio.Connection;
import io.strata.protocol.nio.NioTransport;
import io.strata.runtime.Clock;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A role process's requests to other processes: one connection per peer process (opened on
 * first use, reopened after a loss), answers matched to requests by correlation id, and a
 * deadline on every request. Owned by the process's thread like everything else in it: the
 * callbacks run there too.
 */
public final class PeerConnections {
    /** What becomes of a request: an answer frame (valid during the call only) or a failure. */
    public interface ResponseHandler {
        void onResponse(Frame frame);

        void onFailure(String reason);
    }

    private record Pending(ResponseHandler handler, long deadlineNanos, Connection connection) {
    }

    private final NioTransport transport;
    private final Supplier<ClusterConfig> config;
    private final Clock clock;
    private final Map<Integer, Connection> byProcess = new HashMap<>();
    private final Map<Long, Pending> pending = new HashMap<>();
    private long nextCorrelationId = 1;
    private long nextTimeoutCheckNanos;

    public PeerConnections(NioTransport transport, Supplier<ClusterConfig> config, Clock clock) {
        this.transport = transport;
        this.config = config;
        this.clock = clock;
    }

    /** The connection to a process, opened if needed; null if the configuration does not know it. */
    public Connection connection(int processId) {
        Connection existing = byProcess.get(processId);
        if (existing != null && !existing.isClosed()) {
            return existing;
        }
        InetSocketAddress address = addressOf(config.get(), processId);
        if (address == null) {
            return null;
        }
        Connection opened = transport.connect(address);
        opened.attach(processId);
        byProcess.put(processId, opened);
        return opened;
    }

    public static InetSocketAddress addressOf(ClusterConfig config, int processId) {
        ContainerEntry container = config.containers().get(ProcessIds.containerOf(processId));
        if (container == null) {
            return null;
        }
        return new InetSocketAddress(container.address(), ProcessIds.port(container.basePort(), ProcessIds.slotOf(processId)));
    }

    /**
     * Sends a request; exactly one of the handler's methods is called later, on this thread.
     * {@code onSent} (may be null) gets the payload buffers back once written or dropped.
     */
    public void request(int processId, short type, long timeoutMs, ResponseHandler handler, Runnable onSent, ByteBuffer... parts) {
        Connection connection = connection(processId);
        if (connection == null) {
            if (onSent != null) {
                onSent.run();
            }
            handler.onFailure("process " + processId + " is not in the configuration");
            return;
        }
        long correlationId = nextCorrelationId++;
        if (!connection.send(type, correlationId, onSent, parts)) {
            handler.onFailure("process " + processId + " is not accepting more (connection closed or its queue is full)");
            return;
        }
        pending.put(correlationId, new Pending(handler, clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs), connection));
    }

    /** Routes an answer to its request; returns false if nobody waits for it (a late answer). */
    public boolean onResponse(Frame frame) {
        Pending waiting = pending.remove(frame.correlationId());
        if (waiting == null) {
            return false;
        }
        waiting.handler().onResponse(frame);
        return true;
    }

    /** Fails every request that was waiting on a lost connection. */
    public void onClosed(Connection connection, String reason) {
        Iterator<Map.Entry<Long, Pending>> entries = pending.entrySet().iterator();
        java.util.List<Pending> failed = new java.util.ArrayList<>();
        while (entries.hasNext()) {
            Map.Entry<Long, Pending> entry = entries.next();
            if (entry.getValue().connection() == connection) {
                failed.add(entry.getValue());
                entries.remove();
            }
        }
        byProcess.values().removeIf(c -> c == connection);
        for (Pending pendingRequest : failed) {
            pendingRequest.handler().onFailure("connection " + connection + " lost: " + reason);
        }
    }

    /** Fails requests past their deadline; cheap to call every duty cycle. */
    public int poll() {
        long now = clock.nanoTime();
        if (now < nextTimeoutCheckNanos || pending.isEmpty()) {
            return 0;
        }
        nextTimeoutCheckNanos = now + TimeUnit.MILLISECONDS.toNanos(20);
        java.util.List<Pending> expired = new java.util.ArrayList<>();
        pending.values().removeIf(p -> {
            if (now > p.deadlineNanos()) {
                expired.add(p);
                return true;
            }
            return false;
        });
        java.util.Set<Connection> stuck = new java.util.HashSet<>();
        for (Pending request : expired) {
            stuck.add(request.connection());
            request.handler().onFailure("no answer in time");
        }
        // a peer that answers nothing in time is not trusted with what is still queued for it: the
        // connection is dropped, so no buffer handed to it can be written after its owner moved on
        for (Connection connection : stuck) {
            connection.close();
        }
        return expired.size();
    }

    public int inFlight() {
        return pending.size();
    }
}
