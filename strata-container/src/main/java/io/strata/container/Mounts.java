package io.strata.container;

import com.fasterxml.jackson.core.type.TypeReference;
import io.strata.config.cluster.ClusterConfig;
import io.strata.control.service.ManagementApi;
import io.strata.control.service.ManagementMessages.MountInfo;
import io.strata.control.service.ManagementMessages.MountRequest;
import io.strata.frontend.process.FrontendService;
import io.strata.protocol.rpc.Access;
import io.strata.protocol.rpc.NoParams;
import io.strata.protocol.rpc.RpcRegistry;
import io.strata.runtime.Json;
import io.strata.runtime.StrataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mounts a frontend container serves: {@code strata mount} and {@code strata umount} reach
 * them through the container's management process. They are kept in the container's data folder
 * so that a container that restarts (after a crash, say) mounts them again.
 */
final class Mounts {
    private static final Logger LOG = LoggerFactory.getLogger(Mounts.class);

    private final Map<Integer, FrontendService> frontends;
    private final Path file;
    private final Supplier<ClusterConfig> config;

    private final Path keeper;
    private final String container;

    Mounts(Map<Integer, FrontendService> frontends, Path dataDir, Supplier<ClusterConfig> config, Path keeper, String container) {
        this.frontends = frontends;
        this.file = dataDir.resolve("mounts.json");
        this.config = config;
        this.keeper = keeper;
        this.container = container;
    }

    /**
     * Before this container stops on purpose: drains every mount and hands its FUSE session to the
     * host agent, so applications wait for the next container instead of failing.
     */
    synchronized void handOver() {
        for (FrontendService frontend : frontends.values()) {
            for (FrontendService.Detached detached : frontend.detachAll()) {
                try {
                    io.strata.fuse.SessionKeeper.hold(keeper, container, detached.session());
                } catch (RuntimeException e) {
                    LOG.error("could not hand the mount at {} to the host agent: {}", detached.info().mountpoint(), e.getMessage());
                    detached.session().close();
                }
            }
        }
    }

    void register(RpcRegistry registry) {
        registry.register(ManagementApi.FS_MOUNT, MountRequest.class, Access.LOCAL, (ctx, request) -> mount(request))
                .register(ManagementApi.FS_UNMOUNT, MountRequest.class, Access.LOCAL, (ctx, request) -> unmount(request))
                .register(ManagementApi.FS_MOUNTS, NoParams.class, Access.ANYONE, (ctx, p) -> all());
    }

    private List<MountInfo> all() {
        List<MountInfo> all = new ArrayList<>();
        frontends.values().forEach(f -> all.addAll(f.mounts()));
        return all;
    }

    private synchronized MountInfo mount(MountRequest request) {
        if (frontends.isEmpty()) {
            throw StrataException.invalid("this container has no frontend process");
        }
        Path mountpoint = Path.of(request.mountpoint());
        if (!mountpoint.isAbsolute()) {
            throw StrataException.invalid("mountpoint %s is not an absolute path", request.mountpoint());
        }
        Map.Entry<Integer, FrontendService> least = frontends.entrySet().stream()
                .min(java.util.Comparator.comparingInt(e -> e.getValue().mounts().size())).orElseThrow();
        MountInfo info = least.getValue().mount(request.filesystem(), mountpoint, least.getKey());
        save();
        return info;
    }

    private synchronized MountInfo unmount(MountRequest request) {
        Path mountpoint = Path.of(request.mountpoint()).toAbsolutePath().normalize();
        for (FrontendService frontend : frontends.values()) {
            if (frontend.mounts().stream().anyMatch(m -> m.mountpoint().equals(mountpoint.toString()))) {
                MountInfo info = frontend.unmount(mountpoint);
                save();
                return info;
            }
        }
        throw StrataException.notFound("%s is not mounted by this container", mountpoint);
    }

    private void save() {
        Json.writeFile(file, all());
    }

    /**
     * Mounts again what this container served before it stopped, once the filesystems are known:
     * first the live connections the host agent kept (handed over, or guarded when the previous
     * process died), then anything else it had mounted. From then on the agent guards every mount.
     */
    void restore() {
        if (!frontends.isEmpty()) {
            io.strata.fuse.SessionGuard guard = new io.strata.fuse.SessionGuard(keeper, container).start();
            frontends.values().forEach(f -> f.guardWith(guard));
        }
        List<String> resumed = resumeHandedOver();
        if (!Files.exists(file)) {
            return;
        }
        List<MountInfo> saved;
        try {
            saved = Json.mapper().readValue(Files.readAllBytes(file), new TypeReference<List<MountInfo>>() { });
        } catch (IOException e) {
            LOG.warn("cannot read {}: {}", file, e.getMessage());
            return;
        }
        Thread.ofVirtual().name("restore-mounts").start(() -> {
            for (MountInfo mount : saved) {
                if (!resumed.contains(mount.mountpoint())) {
                    restore(mount);
                }
            }
        });
    }

    /** Takes back from the host agent the sessions the previous container handed over, and serves them. */
    private List<String> resumeHandedOver() {
        List<String> resumed = new ArrayList<>();
        if (frontends.isEmpty()) {
            return resumed;
        }
        List<io.strata.fuse.DetachedSession> sessions;
        try {
            sessions = io.strata.fuse.SessionKeeper.take(keeper, container);
        } catch (RuntimeException e) {
            LOG.warn("could not take handed-over mounts from the host agent: {}", e.getMessage());
            return resumed;
        }
        Map.Entry<Integer, FrontendService> frontend = frontends.entrySet().iterator().next();
        for (io.strata.fuse.DetachedSession session : sessions) {
            String mountpoint = session.state().mountpoint();
            String fsName = session.state().fsName().replaceFirst("^strata:", "");
            try {
                frontend.getValue().resume(session, new MountInfo(fsName, mountpoint, frontend.getKey(), System.currentTimeMillis()),
                        frontend.getKey());
                resumed.add(mountpoint);
            } catch (RuntimeException e) {
                LOG.error("could not resume the mount at {}: {}", mountpoint, e.getMessage());
                session.close();
            }
        }
        save();
        return resumed;
    }

    private void restore(MountInfo mount) {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (config.get().dataPlane().filesystem(mount.filesystem()).isPresent()) {
                detachStale(Path.of(mount.mountpoint()));
                try {
                    mount(new MountRequest(mount.filesystem(), mount.mountpoint()));
                    LOG.info("mounted {} at {} again", mount.filesystem(), mount.mountpoint());
                    return;
                } catch (StrataException e) {
                    LOG.warn("cannot mount {} at {} again yet: {}", mount.filesystem(), mount.mountpoint(), e.getMessage());
                }
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A mount whose serving process died stays in the mount table until detached. */
    private static void detachStale(Path mountpoint) {
        try {
            Process umount = new ProcessBuilder("umount", "-l", mountpoint.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            umount.waitFor();
        } catch (IOException e) {
            LOG.debug("umount -l {}: {}", mountpoint, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
