package io.strata.agent;

import io.strata.config.agent.ContainerStatus;
import io.strata.config.server.ContainerDefinition;
import io.strata.config.server.ContainerDefinition.DesiredState;
import io.strata.control.service.ManagementApi;
import io.strata.control.service.ManagementMessages.ContainerRuntimeStatus;
import io.strata.protocol.rpc.ControlClient;
import io.strata.protocol.rpc.NoParams;
import io.strata.runtime.Json;
import io.strata.runtime.StrataException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one container as its definition wants it: starts its JVM, waits until it is ready,
 * restarts it when it dies (at once the first time, then with a back-off that doubles up to
 * 30 s for one that keeps crashing), stops it on request. One virtual thread owns all of this
 * container's runtime state; requests arrive as commands and are answered through futures;
 * readers see a published {@link ContainerStatus}.
 */
final class ContainerSupervisor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerSupervisor.class);
    private static final long TICK_MS = 100;
    private static final long READY_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(90);
    private static final long READY_POLL_NS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long STOP_TIMEOUT_MS = 15_000;
    private static final long STABLE_AFTER_NS = TimeUnit.SECONDS.toNanos(60);
    private static final long[] BACKOFF_MS = {0, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000};

    enum State { STOPPED, STARTING, RUNNING, STOPPING, BACKOFF }

    private enum Kind { START, STOP, RESTART, REDEFINE, RELEASE, APPLY }

    /** An apply waiting for the container to come up on its new resources, or to fall back. */
    private record PendingApply(CompletableFuture<ContainerStatus> done, io.strata.config.resources.ResourceFile fallback) {
    }

    private record Command(Kind kind, boolean graceful, ContainerDefinition definition, CompletableFuture<ContainerStatus> done) {
    }

    private final HostAgent agent;
    private final BlockingQueue<Command> commands = new LinkedBlockingQueue<>();
    private ContainerDefinition definition;
    private State state = State.STOPPED;
    private Process child;
    private ProcessHandle handle;
    private long startedAtMillis;
    private long startedAtNanos;
    private long readyDeadlineNanos;
    private long nextReadyPollNanos;
    private long restartAtNanos;
    private int consecutiveFailures;
    private int restarts;
    private String lastFailure;
    private long lastFailureAtMillis;
    private Integer containerId;
    private PendingApply pendingApply;
    private long logOffsetAtLaunch;
    private volatile String lastApplyOutcome;
    private volatile ContainerStatus published;
    private volatile boolean closed;
    private Thread thread;

    ContainerSupervisor(HostAgent agent, ContainerDefinition definition) {
        this.agent = agent;
        this.definition = definition;
        publish();
    }

    void start() {
        adoptRunningJvm();
        if (definition.desired() == DesiredState.RUNNING && state == State.STOPPED) {
            launch();
        }
        publish();
        thread = Thread.ofVirtual().name("supervisor-" + definition.name()).start(this::loop);
    }

    String name() {
        return definition.name();
    }

    ContainerStatus status() {
        return published;
    }

    ContainerDefinition definition() {
        return definition;
    }

    CompletableFuture<ContainerStatus> requestStart() {
        return submit(new Command(Kind.START, false, null, new CompletableFuture<>()));
    }

    CompletableFuture<ContainerStatus> requestStop(boolean graceful) {
        return submit(new Command(Kind.STOP, graceful, null, new CompletableFuture<>()));
    }

    CompletableFuture<ContainerStatus> requestRestart(boolean graceful) {
        return submit(new Command(Kind.RESTART, graceful, null, new CompletableFuture<>()));
    }

    /** Saves a new definition; it takes effect on the container's next start. */
    CompletableFuture<ContainerStatus> redefine(ContainerDefinition next) {
        return submit(new Command(Kind.REDEFINE, false, next, new CompletableFuture<>()));
    }

    /**
     * Restarts the container on its staged resources; if it does not come up on them, it gets its
     * last good resources back. The future completes once the outcome is known.
     */
    CompletableFuture<ContainerStatus> applyStaged() {
        return submit(new Command(Kind.APPLY, false, null, new CompletableFuture<>()));
    }

    String lastApplyOutcome() {
        return lastApplyOutcome;
    }

    /** Stops supervising, leaving the JVM as it is (an agent restart adopts it again). */
    CompletableFuture<ContainerStatus> release() {
        return submit(new Command(Kind.RELEASE, false, null, new CompletableFuture<>()));
    }

    private CompletableFuture<ContainerStatus> submit(Command command) {
        if (closed) {
            command.done().completeExceptionally(StrataException.unavailable("the supervisor of %s has stopped", definition.name()));
        } else {
            commands.add(command);
        }
        return command.done();
    }

    private void loop() {
        while (!closed) {
            try {
                Command command = commands.poll(TICK_MS, TimeUnit.MILLISECONDS);
                if (command != null) {
                    handle(command);
                }
                tick();
            } catch (InterruptedException e) {
                if (closed) {
                    break;
                }
            } catch (RuntimeException e) {
                LOG.error("supervisor of {} failed a step", definition.name(), e);
            }
            publish();
        }
    }

    private void handle(Command command) {
        try {
            switch (command.kind()) {
                case START -> {
                    setDesired(DesiredState.RUNNING);
                    consecutiveFailures = 0;
                    if (state == State.STOPPED || state == State.BACKOFF) {
                        launch();
                    }
                }
                case STOP -> {
                    setDesired(DesiredState.STOPPED);
                    stopJvm(command.graceful());
                }
                case RESTART -> {
                    setDesired(DesiredState.RUNNING);
                    // a restarted frontend always hands its mounts to its successor: a restart is not an unmount
                    stopJvm(command.graceful() || definition.resources().roles().contains(io.strata.config.Role.FRONTEND));
                    consecutiveFailures = 0;
                    launch();
                }
                case REDEFINE -> {
                    definition = command.definition();
                    agent.saveDefinition(definition);
                }
                case RELEASE -> closed = true;
                case APPLY -> {
                    if (startApply(command)) {
                        return;
                    }
                }
            }
            publish();
            command.done().complete(published);
        } catch (RuntimeException e) {
            publish();
            command.done().completeExceptionally(e);
        }
    }

    /** Returns true when the apply's outcome will come later (the container restarts). */
    private boolean startApply(Command command) {
        if (definition.staged() == null) {
            lastApplyOutcome = "nothing staged";
            return false;
        }
        io.strata.config.resources.ResourceFile fallback = definition.lastGood() != null ? definition.lastGood() : definition.resources();
        definition = definition.withResources(definition.staged(), null, fallback).withDesired(DesiredState.RUNNING);
        agent.saveDefinition(definition);
        stopJvm(false);
        consecutiveFailures = 0;
        pendingApply = new PendingApply(command.done(), fallback);
        LOG.info("container {} restarts on its new resources", definition.name());
        launch();
        if (pendingApply != null && state == State.BACKOFF) {
            fallBack(lastFailure);
        }
        return true;
    }

    private void applySucceeded() {
        PendingApply pending = pendingApply;
        pendingApply = null;
        lastApplyOutcome = "applied";
        publish();
        agent.onResourcesApplied(this);
        pending.done().complete(published);
    }

    /** The new resources did not come up: the last good ones come back. */
    private void fallBack(String reason) {
        PendingApply pending = pendingApply;
        pendingApply = null;
        killJvm();
        definition = definition.withResources(pending.fallback(), null, pending.fallback());
        agent.saveDefinition(definition);
        lastApplyOutcome = "fell back to the last good resources: " + reason;
        LOG.warn("container {} {}", definition.name(), lastApplyOutcome);
        consecutiveFailures = 0;
        launch();
        publish();
        pending.done().complete(published);
    }

    private void setDesired(DesiredState desired) {
        if (definition.desired() != desired) {
            definition = definition.withDesired(desired);
            agent.saveDefinition(definition);
        }
    }

    private void tick() {
        long now = agent.clock().nanoTime();
        if (handle != null && !handle.isAlive()) {
            onUnexpectedExit(now);
        }
        switch (state) {
            case STARTING -> {
                if (now >= nextReadyPollNanos) {
                    nextReadyPollNanos = now + READY_POLL_NS;
                    if (isReady()) {
                        state = State.RUNNING;
                        LOG.info("container {} is ready (pid {})", definition.name(), handle.pid());
                        if (definition.lastGood() == null || !definition.lastGood().equals(definition.resources())) {
                            definition = definition.withResources(definition.resources(), definition.staged(), definition.resources());
                            agent.saveDefinition(definition);
                        }
                        if (pendingApply != null) {
                            applySucceeded();
                        }
                        agent.onContainerReady(this);
                    } else if (now > readyDeadlineNanos) {
                        recordFailure("did not become ready within " + TimeUnit.NANOSECONDS.toSeconds(READY_TIMEOUT_NS) + " s");
                        if (pendingApply != null) {
                            fallBack(lastFailure);
                            return;
                        }
                        killJvm();
                        scheduleRestart(now);
                    }
                }
            }
            case RUNNING -> {
                if (consecutiveFailures > 0 && now - startedAtNanos > STABLE_AFTER_NS) {
                    consecutiveFailures = 0;
                }
            }
            case BACKOFF -> {
                if (definition.desired() == DesiredState.RUNNING && now >= restartAtNanos) {
                    launch();
                }
            }
            default -> {
            }
        }
    }

    private void onUnexpectedExit(long now) {
        String reason = describeExit();
        boolean wasWanted = state == State.RUNNING || state == State.STARTING;
        handle = null;
        child = null;
        deletePidFile();
        if (!wasWanted) {
            state = State.STOPPED;
            return;
        }
        recordFailure(reason);
        LOG.warn("container {} ended unexpectedly: {}", definition.name(), reason);
        if (pendingApply != null) {
            fallBack(reason);
            return;
        }
        agent.reportExit(definition.name(), reason);
        scheduleRestart(now);
    }

    private void scheduleRestart(long now) {
        long delayMs = BACKOFF_MS[Math.min(consecutiveFailures, BACKOFF_MS.length - 1)];
        consecutiveFailures++;
        restartAtNanos = now + TimeUnit.MILLISECONDS.toNanos(delayMs);
        state = State.BACKOFF;
        if (delayMs > 0) {
            LOG.info("container {} restarts in {} s (failure {} in a row)", definition.name(), delayMs / 1000, consecutiveFailures);
        }
    }

    private void recordFailure(String reason) {
        lastFailure = reason;
        lastFailureAtMillis = agent.clock().epochMillis();
    }

    private String describeExit() {
        String line = lastFailureLineOfLog().orElse(null);
        if (child != null) {
            int code;
            try {
                code = child.waitFor(1, TimeUnit.SECONDS) ? child.exitValue() : -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                code = -1;
            }
            String base = code > 128 ? "killed by " + signalName(code - 128) + " (exit " + code + ")" : "exited with code " + code;
            return line == null ? base : base + ": " + line;
        }
        return line == null ? "exited (adopted process, exit code unknown)" : "exited: " + line;
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 9 -> "SIGKILL";
            case 15 -> "SIGTERM";
            case 6 -> "SIGABRT";
            case 11 -> "SIGSEGV";
            case 2 -> "SIGINT";
            default -> "signal " + signal;
        };
    }

    /**
     * Why this run of the container ended, from what it wrote since it was launched: the one line
     * a container prints when it cannot start ("strata-container: ..."), or the JVM's own error.
     */
    private Optional<String> lastFailureLineOfLog() {
        Path log = agent.layout().containerLog(definition.name());
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(logOffsetAtLaunch, file.length() - 16384);
            byte[] tail = new byte[(int) Math.max(0, file.length() - start)];
            file.seek(start);
            file.readFully(tail);
            String[] lines = new String(tail, StandardCharsets.UTF_8).split("\n");
            for (int i = lines.length - 1; i >= 0; i--) {
                if (lines[i].startsWith("strata-container: ")) {
                    return Optional.of(lines[i].substring("strata-container: ".length()).strip());
                }
            }
            for (int i = 0; i < lines.length - 1; i++) {
                if (lines[i].startsWith("Error occurred during initialization of VM") && !lines[i + 1].isBlank()) {
                    return Optional.of("the JVM did not start: " + lines[i + 1].strip());
                }
            }
        } catch (IOException e) {
            // no log yet
        }
        return Optional.empty();
    }

    private void launch() {
        logOffsetAtLaunch = agent.layout().containerLog(definition.name()).toFile().length();
        try {
            child = agent.launcher().launch(definition);
        } catch (StrataException e) {
            recordFailure(e.getMessage());
            LOG.warn("container {} cannot start: {}", definition.name(), e.getMessage());
            scheduleRestart(agent.clock().nanoTime());
            return;
        }
        handle = child.toHandle();
        long now = agent.clock().nanoTime();
        startedAtNanos = now;
        startedAtMillis = agent.clock().epochMillis();
        readyDeadlineNanos = now + READY_TIMEOUT_NS;
        nextReadyPollNanos = now + READY_POLL_NS;
        state = State.STARTING;
        restarts++;
        writePidFile();
        LOG.info("container {} started as pid {} from release {}", definition.name(), handle.pid(), definition.release());
    }

    private void adoptRunningJvm() {
        Path pidFile = agent.layout().pidFile(definition.name());
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            Optional<ProcessHandle> found = ProcessHandle.of(pid);
            if (found.isPresent() && found.get().isAlive() && agent.launcher().isOurs(found.get(), definition.name())) {
                handle = found.get();
                startedAtMillis = handle.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(agent.clock().epochMillis());
                startedAtNanos = agent.clock().nanoTime();
                readyDeadlineNanos = startedAtNanos + READY_TIMEOUT_NS;
                state = State.STARTING;
                LOG.info("adopted running container {} (pid {})", definition.name(), pid);
                if (definition.desired() == DesiredState.STOPPED) {
                    stopJvm(false);
                }
                return;
            }
        } catch (IOException | NumberFormatException e) {
            LOG.warn("ignoring unreadable pid file of {}: {}", definition.name(), e.getMessage());
        }
        deletePidFile();
    }

    private boolean isReady() {
        int port = definition.resources().basePort();
        try (ControlClient client = ControlClient.connect(new InetSocketAddress(agent.identity().address(), port),
                agent.localCredentials(), "agent")) {
            ContainerRuntimeStatus status = client.call(ManagementApi.STATUS, NoParams.INSTANCE, ContainerRuntimeStatus.class);
            return status.ready() && status.pid() == handle.pid();
        } catch (StrataException e) {
            return false;
        }
    }

    private void stopJvm(boolean graceful) {
        if (handle == null) {
            state = State.STOPPED;
            return;
        }
        state = State.STOPPING;
        if (graceful) {
            drain();
        }
        agent.reportExit(definition.name(), graceful ? "stopped gracefully by its host agent" : "stopped by its host agent");
        handle.destroy();
        try {
            handle.onExit().get(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("container {} did not stop within {} s of SIGTERM; killing it", definition.name(), STOP_TIMEOUT_MS / 1000);
            killJvm();
        }
        handle = null;
        child = null;
        deletePidFile();
        state = State.STOPPED;
        if (!graceful) {
            agent.releaseFuseSessions(definition.name());
        }
    }

    private void drain() {
        int port = definition.resources().basePort();
        try (ControlClient client = ControlClient.connect(new InetSocketAddress(agent.identity().address(), port),
                agent.localCredentials(), "agent")) {
            client.call(ManagementApi.DRAIN, NoParams.INSTANCE, 60_000);
        } catch (StrataException e) {
            LOG.warn("container {} could not drain before stopping: {}", definition.name(), e.getMessage());
        }
    }

    private void killJvm() {
        if (handle != null) {
            handle.destroyForcibly();
            try {
                handle.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // the kernel will reap it
            }
        }
        handle = null;
        child = null;
        deletePidFile();
    }

    private void writePidFile() {
        io.strata.runtime.SafeFiles.writeAtomically(agent.layout().pidFile(definition.name()),
                Long.toString(handle.pid()).getBytes(StandardCharsets.UTF_8));
    }

    private void deletePidFile() {
        try {
            Files.deleteIfExists(agent.layout().pidFile(definition.name()));
        } catch (IOException ignored) {
            // stale pid files are checked against the process's arguments before use
        }
    }

    void setContainerId(Integer id) {
        this.containerId = id;
    }

    private void publish() {
        published = new ContainerStatus(definition.name(), definition.release(), definition.desired().name(), state.name(),
                state == State.RUNNING, handle == null ? 0 : handle.pid(), handle == null ? 0 : startedAtMillis,
                definition.resources().basePort(), containerId, lastFailure, lastFailureAtMillis, Math.max(0, restarts - 1),
                definition.resources());
    }

    /** Stops supervising; with {@code stopJvm} also stops the container. */
    void close(boolean stopJvm) {
        if (stopJvm) {
            requestStop(false).join();
        }
        closed = true;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public void close() {
        close(false);
    }

    static String describe(ContainerStatus status) {
        return Json.toPrettyString(status);
    }
}
