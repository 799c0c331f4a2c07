package io.strata.fuse;

import io.strata.runtime.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frontend container's side of the {@link SessionKeeper}'s unplanned case: while this
 * process serves mounts, the host agent holds duplicates of their descriptors over one open
 * connection, so that if this process dies the mounts live on and the next container resumes
 * them. The connection ending (this process gone) is the signal; there is nothing to send at
 * death. If the agent restarts, the guard reconnects and sends every mount again.
 */
public final class SessionGuard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionGuard.class);
    private static final long RECONNECT_MS = 1000;

    private final Path socket;
    private final String container;
    /** The mounts guarded, by mountpoint; guarded by this. */
    private final Map<String, FuseMount> mounts = new LinkedHashMap<>();
    private UnixSocket connection;
    private boolean closed;
    private Thread watcher;

    public SessionGuard(Path socket, String container) {
        this.socket = socket;
        this.container = container;
    }

    /** Connects to the keeper (and keeps reconnecting in the background when it is away). */
    public synchronized SessionGuard start() {
        connect();
        watcher = Thread.ofPlatform().daemon().name("fuse-session-guard").start(this::watch);
        return this;
    }

    /** Gives the keeper copies of this mount's descriptors. */
    public synchronized void guard(FuseMount mount) {
        mounts.put(mount.mountpoint().toString(), mount);
        if (connection != null && !send(mount)) {
            dropConnection();
        }
    }

    /** Tells the keeper to let go of its copies (the mount was unmounted or handed over). */
    public synchronized void unguard(Path mountpoint) {
        if (mounts.remove(mountpoint.toString()) != null && connection != null) {
            try {
                connection.send(Json.toBytes(new SessionKeeper.Request("unmount", container, mountpoint.toString(), null)), -1);
            } catch (RuntimeException e) {
                dropConnection();
            }
        }
    }

    public synchronized boolean connected() {
        return connection != null;
    }

    private boolean send(FuseMount mount) {
        SessionParameters parameters = mount.session().parameters();
        HandoverState state = new HandoverState(mount.mountpoint().toString(), mount.session().fsName(), parameters);
        boolean[] sent = {false};
        try {
            mount.session().withDescriptors(fds -> {
                int[] clones = java.util.Arrays.copyOfRange(fds, 1, fds.length);
                SessionKeeper.Request request = new SessionKeeper.Request("mount", container, state.mountpoint(),
                        state.withDescriptors(true, clones.length));
                connection.send(Json.toBytes(request), fds[0]);
                for (int clone : clones) {
                    connection.send("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8), clone);
                }
                sent[0] = true;
            });
            return true; // a session already closed has nothing to guard
        } catch (RuntimeException e) {
            LOG.debug("could not guard {}: {}", mount.mountpoint(), e.getMessage());
            return sent[0];
        }
    }

    /** Must hold the lock. */
    private void connect() {
        if (closed || connection != null) {
            return;
        }
        UnixSocket fresh;
        try {
            fresh = UnixSocket.connect(socket);
            fresh.send(Json.toBytes(new SessionKeeper.Request("guard", container)), -1);
        } catch (RuntimeException e) {
            LOG.debug("the host agent's session keeper is not reachable: {}", e.getMessage());
            return;
        }
        connection = fresh;
        for (FuseMount mount : mounts.values()) {
            if (!send(mount)) {
                dropConnection();
                return;
            }
        }
        if (!mounts.isEmpty()) {
            LOG.info("the host agent guards {} mounts of {} again", mounts.size(), container);
        }
    }

    /** Must hold the lock. */
    private void dropConnection() {
        if (connection != null) {
            connection.shutdown(); // wakes the watcher blocked on it
            connection.close();
            connection = null;
        }
    }

    /** Waits for the connection to end (the keeper never writes on it) and connects again. */
    private void watch() {
        while (true) {
            UnixSocket current;
            synchronized (this) {
                if (closed) {
                    return;
                }
                current = connection;
            }
            if (current != null) {
                try {
                    current.receive();
                } catch (RuntimeException e) {
                    // ended: the agent went away (or this guard is closing)
                }
                synchronized (this) {
                    if (connection == current) {
                        LOG.warn("lost the host agent's session keeper; mounts of {} are unguarded until it is back", container);
                        dropConnection();
                    }
                }
            }
            try {
                Thread.sleep(RECONNECT_MS);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (this) {
                connect();
            }
        }
    }

    /**
     * Closes the connection: the keeper then treats the mounts still guarded as left by a dead
     * process. Unguard (or hand over) what should not be resumed first.
     */
    @Override
    public synchronized void close() {
        closed = true;
        dropConnection();
        if (watcher != null) {
            watcher.interrupt();
        }
    }
}
