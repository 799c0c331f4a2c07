package io.strata.fuse;

import io.strata.runtime.Json;
import io.strata.runtime.StrataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the FUSE sessions of a frontend container while it restarts (an upgrade, a graceful
 * restart): the container drains each mount, sends its /dev/fuse descriptor here over a Unix
 * socket, and stops; the kernel keeps the mounts and queues the applications' requests; the
 * next container takes the sessions back and serves on. The applications see a pause, never an
 * error. One message names the operation ({@code hold} or {@code take}) and the container.
 */
public final class SessionKeeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionKeeper.class);

    record Request(String op, String container) {
    }

    record End(boolean end, int sessions) {
    }

    private final Path path;
    private final Map<String, List<DetachedSession>> held = new HashMap<>();
    private UnixSocket listener;
    private volatile boolean closed;

    public SessionKeeper(Path path) {
        this.path = path;
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
    }

    private void acceptLoop() {
        while (!closed) {
            try (UnixSocket connection = listener.accept()) {
                serve(connection);
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.warn("a FUSE session handover failed: {}", e.getMessage());
                }
            }
        }
    }

    private void serve(UnixSocket connection) {
        UnixSocket.Received first = connection.receive();
        Request request = Json.fromBytes(first.payload(), Request.class);
        switch (request.op()) {
            case "hold" -> {
                DetachedSession session = Handover.receive(connection);
                synchronized (held) {
                    held.computeIfAbsent(request.container(), c -> new ArrayList<>()).add(session);
                }
                LOG.info("holding the FUSE session of {} for {}", session.state().mountpoint(), request.container());
            }
            case "take" -> {
                List<DetachedSession> sessions;
                synchronized (held) {
                    sessions = held.remove(request.container());
                }
                sessions = sessions == null ? List.of() : sessions;
                for (DetachedSession session : sessions) {
                    Handover.send(connection, session);
                    LOG.info("handed the FUSE session of {} to {}", session.state().mountpoint(), request.container());
                }
                connection.send(Json.toBytes(new End(true, sessions.size())), -1);
            }
            default -> throw StrataException.invalid("unknown handover operation '%s'", request.op());
        }
    }

    /** Hands a drained session to the agent at {@code socket} (the frontend container's side). */
    public static void hold(Path socket, String container, DetachedSession session) {
        try (UnixSocket connection = UnixSocket.connect(socket)) {
            connection.send(Json.toBytes(new Request("hold", container)), -1);
            Handover.send(connection, session);
        }
    }

    /** Takes back every session held for {@code container} (the new container's side). */
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
                sessions.add(new DetachedSession(received.descriptor(),
                        Json.fromBytes(received.payload(), HandoverState.class)));
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        if (listener != null) {
            listener.close();
        }
        synchronized (held) {
            held.values().forEach(list -> list.forEach(DetachedSession::close));
            held.clear();
        }
    }

}
