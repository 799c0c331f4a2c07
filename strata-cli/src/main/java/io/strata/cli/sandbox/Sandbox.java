package io.strata.cli.sandbox;

import io.strata.cli.StrataHome;
import io.strata.cli.cluster.ClusterCreator;
import io.strata.config.ProcessIds;
import io.strata.config.agent.AgentApi;
import io.strata.config.agent.AgentInfo;
import io.strata.config.agent.SetupRequest;
import io.strata.config.agent.ShutdownRequest;
import io.strata.config.resources.ResourceFile;
import io.strata.config.server.ServerIdentity;
import io.strata.protocol.auth.Credentials;
import io.strata.protocol.auth.Hmac;
import io.strata.protocol.rpc.ControlClient;
import io.strata.protocol.rpc.NoParams;
import io.strata.runtime.ChildProcesses;
import io.strata.runtime.ErrorCode;
import io.strata.runtime.Json;
import io.strata.runtime.Release;
import io.strata.runtime.SafeFiles;
import io.strata.runtime.StrataException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

/**
 * The sandbox: several simulated servers on this machine, each with its own host agent, root
 * folder and loopback address (127.0.1.N, so every server uses the standard ports), formed into
 * one cluster. {@code up} shows each step with its time; {@code down} leaves nothing running.
 */
public final class Sandbox {
    public record Options(int servers, String layout, int coresPerServer, int computeProcesses, String subnet, long driveBytes,
            ServerIdentity.CoreMapping coreMapping) {
    }

    private static final long AGENT_START_TIMEOUT_MS = 60_000;
    private static final long WRITABLE_TIMEOUT_MS = 180_000;

    private final StrataHome home;
    private final PrintWriter out;
    private final java.util.function.BooleanSupplier cancelled;
    private final long startedNanos = System.nanoTime();
    private volatile boolean starting;
    private volatile WritableFilesystem.Wait writesTaken;

    public Sandbox(StrataHome home, PrintWriter out) {
        this(home, out, () -> false);
    }

    /**
     * With {@code cancelled}, {@link #up} gives up at its next step once it says so, stopping
     * what it started as on any failure (for 'strata bench', interrupted while a sandbox starts).
     */
    public Sandbox(StrataHome home, PrintWriter out, java.util.function.BooleanSupplier cancelled) {
        this.home = home;
        this.out = out;
        this.cancelled = cancelled;
    }

    private void step(String message) {
        out.printf("[%5.1fs] %s%n", (System.nanoTime() - startedNanos) / 1e9, message);
        out.flush();
        if (starting && cancelled.getAsBoolean()) {
            throw StrataException.unavailable("interrupted while the sandbox started");
        }
    }

    public Optional<SandboxState> state() {
        if (!Files.exists(home.sandboxState())) {
            return Optional.empty();
        }
        return Optional.of(Json.readFile(home.sandboxState(), SandboxState.class));
    }

    public static boolean isRunning(SandboxState state) {
        return state.servers().stream().anyMatch(s -> ProcessHandle.of(s.agentPid()).map(ProcessHandle::isAlive).orElse(false))
                || !leftoverProcesses(state).isEmpty();
    }

    public SandboxState up(Options options, Path distribution) {
        validate(options);
        Optional<SandboxState> existing = state();
        if (existing.isPresent() && isRunning(existing.get())) {
            throw StrataException.conflict("a sandbox of %d servers is already running (started %s); run 'strata sandbox down' first",
                    existing.get().servers().size(), java.time.Instant.ofEpochMilli(existing.get().createdAtMillis()));
        }
        detachMounts(home.sandboxDir());
        try {
            SafeFiles.deleteRecursively(home.sandboxDir());
        } catch (java.io.UncheckedIOException e) {
            throw StrataException.conflict("cannot remove the previous sandbox's folder %s: %s (is something still using it?)",
                    home.sandboxDir(), e.getCause() == null ? e.getMessage() : e.getCause().toString());
        }
        Release release = Release.current();
        Path lib = distribution.resolve("lib");
        if (!Files.isDirectory(lib)) {
            throw StrataException.notFound("no distribution at %s (expected its lib folder): build it with ./strata", distribution);
        }
        List<SandboxState.Server> servers = startAgents(options, release, lib, distribution);
        SandboxState state = new SandboxState(options.layout(), release.version(), System.currentTimeMillis(), servers, null, null);
        Json.writeFile(home.sandboxState(), state);
        starting = true;
        try {
            return formAndMount(options, release, servers, state);
        } catch (RuntimeException e) {
            // Nothing half-done: a sandbox that did not come up whole is stopped; its folder stays for the logs.
            try {
                stopProcesses(Json.readFile(home.sandboxState(), SandboxState.class));
            } catch (RuntimeException stopFailure) {
                e.addSuppressed(stopFailure);
            }
            String logs = " (the half-started sandbox was stopped; its logs are under " + home.sandboxDir().resolve("servers") + ")";
            if (e instanceof StrataException strata) {
                throw new StrataException(strata.code(), strata.getMessage() + logs);
            }
            throw new StrataException(ErrorCode.INTERNAL, e + logs);
        } finally {
            starting = false;
        }
    }

    private SandboxState formAndMount(Options options, Release release, List<SandboxState.Server> servers, SandboxState state) {
        step("started " + servers.size() + " host agents on " + options.subnet() + ".1-" + servers.size() + " (" + options.coresPerServer()
                + " simulated cores each" + (options.coreMapping() == ServerIdentity.CoreMapping.SHARED ? ", processes not pinned" : "") + ")");
        setUpContainers(options, servers);
        String password = Hmac.newSecret(18);
        Path passwordFile = home.sandboxDir().resolve("admin-password");
        SafeFiles.writeSecret(passwordFile, (password + "\n").getBytes(StandardCharsets.UTF_8));
        ClusterCreator.Result result = ClusterCreator.create(new ClusterCreator.Request(
                servers.stream().map(SandboxState.Server::address).toList(), "sandbox", password, null, null, 0,
                ClusterCreator.DEFAULT_BUCKETS, 3), this::step);
        home.saveToken(result.clusterId(), result.token());
        state = new SandboxState(options.layout(), release.version(), state.createdAtMillis(), servers, result.clusterId(), null);
        Json.writeFile(home.sandboxState(), state);
        step("cluster " + result.clusterId() + " formed; the CLI is logged in as admin (password in " + passwordFile + ")");
        addDrives(servers, result.token(), options);
        Path mountpoint = home.sandboxDir().resolve("mnt").resolve("default");
        mount(servers.getFirst(), "default", mountpoint);
        state = new SandboxState(options.layout(), release.version(), state.createdAtMillis(), servers, result.clusterId(),
                mountpoint.toString());
        Json.writeFile(home.sandboxState(), state);
        step("mounted filesystem default at " + mountpoint + " (served by " + servers.getFirst().hostname() + ")");
        writesTaken = WritableFilesystem.await(mountpoint, WRITABLE_TIMEOUT_MS, 500, () -> starting && cancelled.getAsBoolean());
        step(String.format(java.util.Locale.ROOT, "the filesystem takes writes (a 1 MiB probe landed after %.1f s%s)",
                writesTaken.seconds(), writesTaken.lastRefusal() == null ? "" : "; refused before: " + writesTaken.lastRefusal()));
        return state;
    }

    /** How long the last {@link #up} waited for its filesystem to take a write (empty before one came up). */
    public Optional<Double> secondsUntilWritable() {
        WritableFilesystem.Wait wait = writesTaken;
        return wait == null ? Optional.empty() : Optional.of(wait.seconds());
    }

    private void validate(Options options) {
        if (options.servers() < 1 || options.servers() > 64) {
            throw StrataException.invalid("--servers must be 1 to 64, not %d", options.servers());
        }
        if (!"multi".equals(options.layout()) && !"single".equals(options.layout())) {
            throw StrataException.invalid("--layout must be multi or single, not '%s'", options.layout());
        }
        int needed = 1 + 1 + options.computeProcesses() + 1;
        if (options.coresPerServer() < needed) {
            throw StrataException.invalid("%d simulated cores per server are too few: core 0 for the OS, 1 drive, %d compute and "
                    + "1 frontend core need %d", options.coresPerServer(), options.computeProcesses(), needed);
        }
        if (!options.subnet().matches("127\\.\\d{1,3}\\.\\d{1,3}")) {
            throw StrataException.invalid("--subnet must be a loopback /24 such as 127.0.1, not '%s'", options.subnet());
        }
        if (options.driveBytes() < (1L << 30)) {
            throw StrataException.invalid("--drive-size must be at least 1GiB");
        }
        java.io.File disk = home.root().toFile();
        disk.mkdirs();
        if (disk.getUsableSpace() < 4L * (1L << 30)) {
            throw StrataException.unavailable("only %s free at %s: the sandbox wants at least 4 GiB for its drive files",
                    io.strata.control.service.Capacity.describe(disk.getUsableSpace()), home.root());
        }
        if (options.computeProcesses() < 1 || options.computeProcesses() > 8) {
            throw StrataException.invalid("--compute-processes must be 1 to 8, not %d", options.computeProcesses());
        }
    }

    private static void copyReleaseFile(Path distribution, Path version) {
        try {
            Files.copy(distribution.resolve("RELEASE"), version.resolve("RELEASE"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw StrataException.unavailable("cannot install the RELEASE file into %s: %s", version, e.getMessage());
        }
    }

    private List<SandboxState.Server> startAgents(Options options, Release release, Path lib, Path distribution) {
        List<SandboxState.Server> servers = new ArrayList<>();
        for (int i = 1; i <= options.servers(); i++) {
            String hostname = "server" + i;
            String address = options.subnet() + "." + i;
            Path root = home.sandboxDir().resolve("servers").resolve(hostname);
            install(lib, root.resolve("versions").resolve(release.version()).resolve("lib"));
            copyReleaseFile(distribution, root.resolve("versions").resolve(release.version()));
            long pid = launchAgent(root, hostname, address, options.coresPerServer(), options.coreMapping(), release);
            servers.add(new SandboxState.Server(hostname, address, root.toString(), pid));
        }
        for (SandboxState.Server server : servers) {
            awaitAgent(server);
        }
        return servers;
    }

    /**
     * Installs the release's jars into a server's store. Copies, not links: a rebuild of the
     * distribution must never change the jars under a running container.
     */
    static void install(Path lib, Path target) {
        try {
            Files.createDirectories(target);
            try (Stream<Path> jars = Files.list(lib)) {
                for (Path jar : jars.toList()) {
                    Files.copy(jar, target.resolve(jar.getFileName()));
                }
            }
        } catch (IOException e) {
            throw StrataException.unavailable("cannot install the release into %s: %s", target, e.getMessage());
        }
    }

    /** The sandbox's core mapping named on the command line: modulo or shared. */
    public static ServerIdentity.CoreMapping coreMapping(String name) {
        return ServerIdentity.CoreMapping.named(name).filter(ServerIdentity.CoreMapping::simulated)
                .orElseThrow(() -> StrataException.invalid("--core-mapping must be modulo or shared, not '%s'", name));
    }

    private long launchAgent(Path root, String hostname, String address, int cores, ServerIdentity.CoreMapping mapping,
            Release release) {
        Path log = root.resolve("logs").resolve("agent.log");
        List<String> command = new ArrayList<>(List.of("setsid", javaBinary(), "-Xms16m", "-Xmx128m", "-XX:+UseSerialGC",
                "-XX:+UseCompactObjectHeaders", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-cp", root.resolve("versions").resolve(release.version()).resolve("lib") + "/*",
                "io.strata.agent.AgentMain", "--root", root.toString(), "--hostname", hostname, "--address", address,
                "--failure-domain", hostname, "--cores", Integer.toString(cores), "--core-mapping", mapping.optionName()));
        try {
            Files.createDirectories(log.getParent());
            Process process = ChildProcesses.logged(command, ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return process.pid();
        } catch (IOException e) {
            throw StrataException.unavailable("cannot start the host agent of %s: %s", hostname, e.getMessage());
        }
    }

    static String javaBinary() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static void awaitAgent(SandboxState.Server server) {
        long deadline = System.nanoTime() + AGENT_START_TIMEOUT_MS * 1_000_000;
        InetSocketAddress address = new InetSocketAddress(server.address(), ProcessIds.AGENT_PORT);
        while (true) {
            try (ControlClient client = ControlClient.connect(address, Credentials.NONE, "cli")) {
                client.call(AgentApi.INFO, NoParams.INSTANCE, AgentInfo.class);
                return;
            } catch (StrataException e) {
                if (System.nanoTime() > deadline) {
                    throw StrataException.unavailable("the host agent of %s did not start within %d s; see %s/logs/agent.log",
                            server.hostname(), AGENT_START_TIMEOUT_MS / 1000, server.root());
                }
                if (!ProcessHandle.of(server.agentPid()).map(ProcessHandle::isAlive).orElse(false)) {
                    throw StrataException.unavailable("the host agent of %s exited; see %s/logs/agent.log", server.hostname(),
                            server.root());
                }
                sleep(100);
            }
        }
    }

    private void setUpContainers(Options options, List<SandboxState.Server> servers) {
        List<CompletableFuture<Void>> setups = new ArrayList<>();
        for (SandboxState.Server server : servers) {
            createDriveFile(driveFile(server), options.driveBytes());
            List<ResourceFile> files = SandboxLayouts.generate(server.hostname(), options.coresPerServer(), options.layout(),
                    options.computeProcesses(), driveFile(server).toString());
            setups.add(CompletableFuture.runAsync(() -> setUp(server, files), r -> Thread.ofVirtual().start(r)));
        }
        try {
            CompletableFuture.allOf(setups.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof StrataException strata ? strata : e;
        }
        int containers = "multi".equals(options.layout()) ? 3 * servers.size() : servers.size();
        step("set up and started " + containers + " containers (" + ("multi".equals(options.layout())
                ? "drives0, compute0, frontend0 on each server" : "one 'default' container on each server") + ")");
    }

    /** Mounts a filesystem through a server's frontend container, as 'strata mount' does. */
    static void mount(SandboxState.Server server, String filesystem, Path mountpoint) {
        try {
            Files.createDirectories(mountpoint);
        } catch (IOException e) {
            throw StrataException.unavailable("cannot create the mountpoint %s: %s", mountpoint, e.getMessage());
        }
        AgentInfo info;
        try (ControlClient agent = localAgent(server)) {
            info = agent.call(AgentApi.INFO, NoParams.INSTANCE, AgentInfo.class);
        }
        var frontend = info.containers().stream().filter(c -> c.resources().roles().contains(io.strata.config.Role.FRONTEND))
                .findFirst().orElseThrow(() -> StrataException.notFound("%s has no frontend container", server.hostname()));
        try (ControlClient client = ControlClient.connect(new InetSocketAddress(server.address(), frontend.basePort()),
                Credentials.localKey("sandbox", localKey(server)), "cli")) {
            client.call(io.strata.control.service.ManagementApi.FS_MOUNT,
                    new io.strata.control.service.ManagementMessages.MountRequest(filesystem, mountpoint.toString()), 60_000);
        }
    }

    /** Formats each server's drive file and adds it to the server's drives container, then creates the filesystem 'default'. */
    private void addDrives(List<SandboxState.Server> servers, String token, Options options) {
        try (ControlClient client = ControlClient.connect(new InetSocketAddress(servers.getFirst().address(),
                ProcessIds.DRIVES_BASE_PORT), Credentials.token(token), "cli")) {
            for (SandboxState.Server server : servers) {
                String container = server.hostname() + "/" + ("multi".equals(options.layout()) ? "drives0" : "default");
                client.call(io.strata.control.service.ManagementApi.DRIVE_ADD, new io.strata.control.service.ManagementMessages
                        .DriveAddRequest(container, List.of(driveFile(server).toString()), false), 120_000);
            }
            step("formatted and added " + servers.size() + " drives (" + io.strata.control.service.Capacity.describe(options.driveBytes())
                    + " sparse files)");
            var view = client.call(io.strata.control.service.ManagementApi.VIEW, NoParams.INSTANCE,
                    io.strata.control.service.ManagementMessages.ClusterView.class);
            long usable = io.strata.control.service.Capacity.usableBytes(view.config());
            client.call(io.strata.control.service.ManagementApi.FS_CREATE,
                    new io.strata.control.service.ManagementMessages.FilesystemRequest("default", usable));
            step("created filesystem default (" + io.strata.control.service.Capacity.describe(usable) + ", protection "
                    + view.config().protection() + ")");
        }
    }

    private static void createDriveFile(Path file, long bytes) {
        try {
            Files.createDirectories(file.getParent());
            try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(bytes);
            }
        } catch (IOException e) {
            throw StrataException.unavailable("cannot create the drive file %s: %s", file, e.getMessage());
        }
    }

    /** The file standing in for a sandbox server's NVMe drive. */
    static Path driveFile(SandboxState.Server server) {
        return Path.of(server.root()).resolve("drives").resolve("nvme0n1");
    }

    private static void setUp(SandboxState.Server server, List<ResourceFile> files) {
        try (ControlClient agent = localAgent(server)) {
            for (ResourceFile file : files) {
                agent.call(AgentApi.SETUP, SetupRequest.of(file));
            }
            awaitReady(agent, server, files.size());
        }
    }

    private static void awaitReady(ControlClient agent, SandboxState.Server server, int expected) {
        long deadline = System.nanoTime() + 180_000L * 1_000_000;
        while (true) {
            AgentInfo info = agent.call(AgentApi.INFO, NoParams.INSTANCE, AgentInfo.class);
            long ready = info.containers().stream().filter(c -> c.ready()).count();
            if (ready == expected) {
                return;
            }
            for (var container : info.containers()) {
                if ("BACKOFF".equals(container.state()) && container.restarts() >= 2) {
                    throw StrataException.unavailable("container %s on %s does not come up: %s", container.name(),
                            server.hostname(), container.lastFailure());
                }
            }
            if (System.nanoTime() > deadline) {
                throw StrataException.unavailable("the containers of %s were not ready within 180 s", server.hostname());
            }
            sleep(200);
        }
    }

    static ControlClient localAgent(SandboxState.Server server) {
        return ControlClient.connect(new InetSocketAddress(server.address(), ProcessIds.AGENT_PORT),
                Credentials.localKey("sandbox", localKey(server)), "cli");
    }

    private static String localKey(SandboxState.Server server) {
        try {
            return Files.readString(Path.of(server.root()).resolve("secrets").resolve("local.key"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw StrataException.unavailable("cannot read the local key of %s: %s", server.hostname(), e.getMessage());
        }
    }

    /** Stops every agent and container of the sandbox and removes its folder. */
    public void down() {
        Optional<SandboxState> existing = state();
        if (existing.isEmpty()) {
            step("no sandbox is running");
            return;
        }
        SandboxState state = existing.get();
        int killed = stopProcesses(state);
        step("stopped " + state.servers().size() + " servers" + (killed == 0 ? "" : " (killed " + killed
                + " processes that did not stop by themselves)"));
        SafeFiles.deleteRecursively(home.sandboxDir());
        if (state.clusterId() != null) {
            home.saveToken(state.clusterId(), null);
        }
        step("removed " + home.sandboxDir());
    }

    /** Stops every agent and container of the sandbox and detaches its mounts; returns how many had to be killed. */
    private int stopProcesses(SandboxState state) {
        List<Thread> stops = new ArrayList<>();
        for (SandboxState.Server server : state.servers()) {
            stops.add(Thread.ofVirtual().start(() -> stopServer(server)));
        }
        for (Thread stop : stops) {
            try {
                stop.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        detachMounts(home.sandboxDir());
        List<ProcessHandle> leftovers = leftoverProcesses(state);
        leftovers.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle leftover : leftovers) {
            try {
                leftover.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // reported below if still alive
            }
        }
        if (!leftoverProcesses(state).isEmpty()) {
            throw StrataException.unavailable("some sandbox processes did not stop: %s", leftoverProcesses(state).stream()
                    .map(ProcessHandle::pid).toList());
        }
        return leftovers.size();
    }

    /** Detaches any FUSE mount left under a folder (a frontend that died cannot unmount). */
    public static void detachMounts(Path under) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] fields = line.split(" ");
                if (fields.length > 2 && fields[2].startsWith("fuse") && fields[1].startsWith(under.toString())) {
                    new ProcessBuilder("umount", "-l", fields[1]).redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
                }
            }
        } catch (IOException e) {
            // nothing mounted that we can see
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void stopServer(SandboxState.Server server) {
        Optional<ProcessHandle> agentProcess = ProcessHandle.of(server.agentPid()).filter(ProcessHandle::isAlive);
        if (agentProcess.isEmpty()) {
            return;
        }
        try (ControlClient agent = localAgent(server)) {
            agent.call(AgentApi.SHUTDOWN, new ShutdownRequest(true));
        } catch (StrataException e) {
            agentProcess.get().destroy();
        }
        try {
            agentProcess.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            agentProcess.get().destroyForcibly();
        }
    }

    /** Processes (agents, containers) started for this sandbox that are still alive. */
    static List<ProcessHandle> leftoverProcesses(SandboxState state) {
        List<String> roots = state.servers().stream().map(SandboxState.Server::root).toList();
        return ProcessHandle.allProcesses().filter(p -> p.info().arguments().map(args -> {
            List<String> list = List.of(args);
            int index = list.indexOf("--root");
            return index >= 0 && index + 1 < list.size() && roots.contains(list.get(index + 1));
        }).orElse(false)).toList();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StrataException.unavailable("interrupted");
        }
    }
}
