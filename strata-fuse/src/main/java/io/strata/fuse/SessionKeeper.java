package io.strata.fuse;

import io.strata.runtime.Json;
import io.strata.runtime.StrataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the FUSE connections of a server's frontend containers alive across their restarts, in
 * the host agent. A FUSE mount lives as long as some process holds a descriptor of its
 * connection; this keeper is that process while no container serves it:
 *
 * <ul>
 *   <li><b>Planned</b> (an upgrade, a graceful restart): the container drains each mount and
 *       sends its descriptor ({@code hold}); the next container takes it ({@code take}) and serves on.
 *   <li><b>Unplanned</b> (the container is killed): a serving container keeps a {@link SessionGuard}
 *       connection open here, over which it sent duplicates of every mount's descriptors, its queues'
 *       included. When that connection ends without a handover, the copies become the mount: the
 *       requests the dead process read stay waiting on its queues, the next container takes the
 *       copies and asks the kernel to send those requests again. A container that does not come
 *       back within {@link #UNSERVED_GRACE_SECONDS} loses them, and its mounts answer ENOTCONN.
 * </ul>
 *
 * Applications see a pause, never an error. Every connection to the keeper starts with a
 * {@link Request} naming the operation and the container.
 */
public final class SessionKeeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionKeeper.class);
    /** How long the copies of a dead container's mounts wait for it to come back. */
    public static final long UNSERVED_GRACE_SECONDS = 120;

    /** One message to the keeper; {@code mountpoint} and {@code state} only where the operation needs them. */
    record Request(String op, String container, String mountpoint, HandoverState state) {
        Request(String op, String container) {
            this(op, container, null, null);
        }
    }

    record End(boolean end, int sessions) {
    }

    /** A connection kept here: its descriptors, and the guard connection of the process serving it (null: none does). */
    private static final class Kept {
        final DetachedSession session;
        Object servedBy;
        long unservedSinceNanos;

        Kept(DetachedSession session, Object servedBy, long nowNanos) {
            this.session = session;
            this.servedBy = servedBy;
            this.unservedSinceNanos = nowNanos;
        }
    }

    private final Path path;
    private final LongSupplier nanoTime;
    /** container → mountpoint → connection; guarded by itself. */
    private final Map<String, Map<String, Kept>> kept = new HashMap<>();
    private final List<UnixSocket> guards = new ArrayList<>();
    private UnixSocket listener;
    private volatile boolean closed;

    public SessionKeeper(Path path) {
        this(path, System::nanoTime);
    }

    SessionKeeper(Path path, LongSupplier nanoTime) {
        this.path = path;
        this.nanoTime = nanoTime;
    }

    public void start() {
        try {
            Files.createDirectories(path.getParent());
            Files.deleteIfExists(path);
        } catch (java.io.IOException e) {
            throw StrataException.unavailable("cannot prepare %s: %s", path, e.getMessage());
        }
        listener = UnixSocket.listen(path);
        Thread.ofPlatform().daemon().name("fuse-session-keeper").start(this::acceptLoop);
        Thread.ofPlatform().daemon().name("fuse-session-expiry").start(this::expiryLoop);
    }

    private void acceptLoop() {
        while (!closed) {
            UnixSocket connection;
            try {
                connection = listener.accept();
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.warn("the FUSE session keeper cannot accept: {}", e.getMessage());
                }
                continue;
            }
            // A guard connection lasts as long as its container; each connection gets its own thread.
            Thread.ofPlatform().daemon().name("fuse-session-keeper-connection").start(() -> {
                try (connection) {
                    serve(connection);
                } catch (RuntimeException e) {
                    if (!closed) {
                        LOG.warn("a FUSE session handover failed: {}", e.getMessage());
                    }
                }
            });
        }
    }

    private void serve(UnixSocket connection) {
        Request request = Json.fromBytes(connection.receive().payload(), Request.class);
        if (request.container() == null || request.container().isBlank()) {
            throw StrataException.invalid("handover request names no container");
        }
        switch (request.op()) {
            case "hold" -> {
                DetachedSession session = Handover.receive(connection);
                keep(request.container(), session, null);
                LOG.info("holding the FUSE session of {} for {}", session.state().mountpoint(), request.container());
            }
            case "take" -> {
                List<DetachedSession> sessions = takeUnserved(request.container());
                for (DetachedSession session : sessions) {
                    Handover.send(connection, session);
                    LOG.info("handed the FUSE session of {} to {}{}", session.state().mountpoint(), request.container(),
                            session.state().unanswered() ? " (its previous process died)" : "");
                }
                connection.send(Json.toBytes(new End(true, sessions.size())), -1);
            }
            case "guard" -> guard(connection, request.container());
            case null, default -> throw StrataException.invalid("unknown handover operation '%s'", request.op());
        }
    }

    /** Serves one container's guard connection until it ends. */
    private void guard(UnixSocket connection, String container) {
        synchronized (kept) {
            if (closed) {
                return;
            }
            guards.add(connection);
        }
        try {
            while (!closed) {
                UnixSocket.Received received = connection.receive();
                Request request;
                try {
                    request = Json.fromBytes(received.payload(), Request.class);
                } catch (RuntimeException e) {
                    closeQuietly(received.descriptor());
                    throw e;
                }
                switch (request.op()) {
                    case "mount" -> {
                        if (request.state() == null) {
                            closeQuietly(received.descriptor());
                            throw StrataException.invalid("guarded mount came without its state");
                        }
                        UnixSocket.Received first = new UnixSocket.Received(Json.toBytes(request.state()), received.descriptor());
                        DetachedSession copy = Handover.receiveAfter(connection, first);
                        keep(container, new DetachedSession(copy.consume(), copy.state().withDescriptors(true, 0),
                                copy.staleDescriptors()), connection);
                        LOG.info("guarding the FUSE connection of {} for {}", request.state().mountpoint(), container);
                    }
                    case "unmount" -> {
                        closeQuietly(received.descriptor());
                        forget(container, request.mountpoint(), connection);
                    }
                    case null, default -> {
                        closeQuietly(received.descriptor());
                        throw StrataException.invalid("unknown guard operation '%s'", request.op());
                    }
                }
            }
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.debug("guard connection of {} ended: {}", container, e.getMessage());
            }
        } finally {
            int orphaned = 0;
            synchronized (kept) {
                guards.remove(connection);
                for (Kept k : kept.getOrDefault(container, Map.of()).values()) {
                    if (k.servedBy == connection) {
                        k.servedBy = null;
                        k.unservedSinceNanos = nanoTime.getAsLong();
                        orphaned++;
                    }
                }
            }
            if (orphaned > 0 && !closed) {
                LOG.warn("{} ended without handing over its mounts; keeping {} FUSE connections for its restart (up to {} s)",
                        container, orphaned, UNSERVED_GRACE_SECONDS);
            }
        }
    }

    private void keep(String container, DetachedSession session, Object servedBy) {
        Kept previous;
        synchronized (kept) {
            if (closed) {
                session.close();
                return;
            }
            previous = kept.computeIfAbsent(container, c -> new HashMap<>())
                    .put(session.state().mountpoint(), new Kept(session, servedBy, nanoTime.getAsLong()));
        }
        if (previous != null) {
            previous.session.close();
        }
    }

    private void forget(String container, String mountpoint, Object servedBy) {
        Kept removed = null;
        synchronized (kept) {
            Map<String, Kept> mounts = kept.get(container);
            if (mounts != null && mounts.containsKey(mountpoint) && mounts.get(mountpoint).servedBy == servedBy) {
                removed = mounts.remove(mountpoint);
            }
        }
        if (removed != null) {
            removed.session.close();
            LOG.info("no longer guarding the FUSE connection of {} for {}", mountpoint, container);
        }
    }

    /** Removes and returns the connections of {@code container} that no live process serves. */
    private List<DetachedSession> takeUnserved(String container) {
        List<DetachedSession> taken = new ArrayList<>();
        synchronized (kept) {
            Map<String, Kept> mounts = kept.get(container);
            if (mounts == null) {
                return taken;
            }
            for (Iterator<Kept> it = mounts.values().iterator(); it.hasNext(); ) {
                Kept k = it.next();
                if (k.servedBy == null) {
                    taken.add(k.session);
                    it.remove();
                }
            }
        }
        return taken;
    }

    /**
     * Lets go of every connection of {@code container} that no process serves (it was stopped on
     * purpose or removed): its mounts then end. Returns how many.
     */
    public int release(String container) {
        List<DetachedSession> released = takeUnserved(container);
        released.forEach(DetachedSession::close);
        if (!released.isEmpty()) {
            LOG.info("released {} FUSE connections of {}", released.size(), container);
        }
        return released.size();
    }

    /** Connections kept for {@code container}: served by a live process or waiting for one. */
    public int keptFor(String container) {
        synchronized (kept) {
            return kept.getOrDefault(container, Map.of()).size();
        }
    }

    /** Connections kept for {@code container} that no live process serves: their grace has begun. */
    int unservedFor(String container) {
        synchronized (kept) {
            return (int) kept.getOrDefault(container, Map.of()).values().stream().filter(k -> k.servedBy == null).count();
        }
    }

    private void expiryLoop() {
        while (!closed) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            expireUnserved();
        }
    }

    /** Closes the copies of dead containers' mounts that waited longer than the grace (drained holds wait for ever). */
    void expireUnserved() {
        long limit = TimeUnit.SECONDS.toNanos(UNSERVED_GRACE_SECONDS);
        List<DetachedSession> expired = new ArrayList<>();
        synchronized (kept) {
            for (Map.Entry<String, Map<String, Kept>> container : kept.entrySet()) {
                for (Iterator<Kept> it = container.getValue().values().iterator(); it.hasNext(); ) {
                    Kept k = it.next();
                    if (k.servedBy == null && k.session.state().unanswered() && nanoTime.getAsLong() - k.unservedSinceNanos > limit) {
                        expired.add(k.session);
                        it.remove();
                        LOG.warn("{} did not come back within {} s; its mount at {} ends", container.getKey(),
                                UNSERVED_GRACE_SECONDS, k.session.state().mountpoint());
                    }
                }
            }
        }
        expired.forEach(DetachedSession::close);
    }

    /** Hands a drained session to the agent at {@code socket} (the frontend container's side). */
    public static void hold(Path socket, String container, DetachedSession session) {
        try (UnixSocket connection = UnixSocket.connect(socket)) {
            connection.send(Json.toBytes(new Request("hold", container)), -1);
            Handover.send(connection, session);
        }
    }

    /** Takes back every session kept for {@code container} that no live process serves (the new container's side). */
    public static List<DetachedSession> take(Path socket, String container) {
        List<DetachedSession> sessions = new ArrayList<>();
        if (!Files.exists(socket)) {
            return sessions;
        }
        try (UnixSocket connection = UnixSocket.connect(socket)) {
            connection.send(Json.toBytes(new Request("take", container)), -1);
            while (true) {
                UnixSocket.Received received = connection.receive();
                if (received.descriptor() < 0) {
                    return sessions;
                }
                sessions.add(Handover.receiveAfter(connection, received));
            }
        } catch (RuntimeException e) {
            sessions.forEach(DetachedSession::close);
            throw e;
        }
    }

    private static void closeQuietly(int fd) {
        if (fd >= 0) {
            LibC.close(fd);
        }
    }

    @Override
    public void close() {
        List<DetachedSession> all = new ArrayList<>();
        List<UnixSocket> connections;
        synchronized (kept) {
            closed = true;
            kept.values().forEach(mounts -> mounts.values().forEach(k -> all.add(k.session)));
            kept.clear();
            connections = List.copyOf(guards);
        }
        if (listener != null) {
            listener.shutdown();
            listener.close();
        }
        connections.forEach(UnixSocket::shutdown);
        all.forEach(DetachedSession::close);
    }
}
