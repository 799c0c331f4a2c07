package io.strata.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cli.sandbox.SandboxState;
import io.strata.config.agent.ContainerStatus;
import io.strata.config.cluster.ClusterConfig;
import io.strata.config.cluster.ContainerEntry;
import io.strata.config.cluster.Health;
import io.strata.control.service.ManagementMessages.ClusterView;
import io.strata.control.service.ManagementMessages.ContainerRuntimeStatus;
import io.strata.control.service.ManagementMessages.ProcessRuntime;
import io.strata.runtime.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A six-server sandbox with real host agents and container JVMs started from the built
 * distribution, on its own loopback subnet: it forms, survives a kill -9 and the loss of the
 * leader's container, gets containers back after agent restarts, and refuses bad input.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiContainerClusterSystemTest {
    static final String SUBNET = "127.0.3";
    private Path home;
    private CliRunner cli;
    private SandboxState state;

    private static String address(int server) {
        return SUBNET + "." + server;
    }

    @BeforeAll
    void up() throws Exception {
        home = Files.createTempDirectory("strata-system-");
        cli = new CliRunner(home);
        long started = System.nanoTime();
        CliRunner.Result result = cli.run("sandbox", "up", "--subnet", SUBNET);
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        System.out.println(result.out());
        assertThat(result.code()).as(result.toString()).isZero();
        state = Json.readFile(home.resolve("sandbox").resolve("state.json"), SandboxState.class);
        System.out.printf("FIGURE sandbox up to a formed 6-server cluster: %.1f s%n", elapsedMs / 1000.0);
    }

    @AfterAll
    void down() throws Exception {
        if (cli == null) {
            return;
        }
        CliRunner.Result result = cli.run("sandbox", "down");
        System.out.println(result.out());
        List<ProcessHandle> left = ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(args -> String.join(" ", args).contains(home.toString())).orElse(false))
                .toList();
        assertThat(left).as("processes left after sandbox down").isEmpty();
        assertThat(result.code()).as(result.toString()).isZero();
    }

    private ClusterConfig config() {
        return Sandboxes.anyView(SUBNET).config();
    }

    @Test
    @Order(1)
    void everyContainerIsUpAndEveryRoleProcessRunsPinnedToItsCore() throws Exception {
        CliRunner.Result status = cli.run("status").expectSuccess();
        assertThat(status.out()).contains("status: OK (18 containers UP, 0 DOWN)", "drive 6/6 UP, compute 6/6 UP, frontend 6/6 UP",
                "24 of 24 role processes UP", "protection: 4+2");
        ClusterConfig config = config();
        assertThat(config.controlMembers()).hasSize(5);
        assertThat(config.controlMembers().stream().map(id -> config.container(id).failureDomain()).distinct()).hasSize(5);
        int checked = 0;
        for (ContainerEntry container : config.containerList()) {
            assertThat(container.processes()).allMatch(p -> p.id() == container.id() * 20 + p.slot());
            assertThat(container.processes()).allMatch(p -> p.port() == container.basePort() + p.slot());
            ContainerRuntimeStatus runtime = Sandboxes.runtime(container.address(), container.basePort());
            for (ProcessRuntime process : runtime.processes()) {
                assertThat(process.cpu()).isEqualTo(process.coreId() % Runtime.getRuntime().availableProcessors());
                assertThat(Sandboxes.cpusAllowed(runtime.pid(), process.threadId()))
                        .as("pinning of %s slot %d", container.qualifiedName(), process.slot())
                        .isEqualTo(Integer.toString(process.cpu()));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(24);
        CliRunner.Result processes = cli.run("cluster", "process", "--role", "compute").expectSuccess();
        assertThat(processes.out().lines().skip(1).count()).isEqualTo(12);
        assertThat(processes.out()).contains("14301", "14302");
        reportFigures();
    }

    private void reportFigures() throws Exception {
        List<Long> containerPids = new ArrayList<>();
        List<Long> agentPids = state.servers().stream().map(SandboxState.Server::agentPid).toList();
        for (SandboxState.Server server : state.servers()) {
            Sandboxes.ps(cli, server.address()).forEach(c -> containerPids.add(c.pid()));
        }
        long containerRss = 0;
        for (long pid : containerPids) {
            containerRss += Sandboxes.rssKiB(pid);
        }
        long agentRss = 0;
        for (long pid : agentPids) {
            agentRss += Sandboxes.rssKiB(pid);
        }
        List<Long> all = new ArrayList<>(containerPids);
        all.addAll(agentPids);
        long before = all.stream().mapToLong(Sandboxes::cpuTicks).sum();
        Thread.sleep(10_000);
        long after = all.stream().mapToLong(Sandboxes::cpuTicks).sum();
        System.out.printf("FIGURE memory per container JVM: %.0f MiB RSS on average (%d containers); per host agent %.0f MiB%n",
                containerRss / 1024.0 / containerPids.size(), containerPids.size(), agentRss / 1024.0 / agentPids.size());
        System.out.printf("FIGURE idle CPU of the whole sandbox (24 JVMs): %.1f%% of one core%n", (after - before) / 10.0);
    }

    @Test
    @Order(2)
    void aKilledContainerIsRestartedByItsAgentAndMarkedDownThenUp() {
        ContainerStatus before = Sandboxes.container(cli, address(4), "compute0");
        int id = config().findContainer("server4", "compute0").orElseThrow().id();
        long killedAt = System.currentTimeMillis();
        ProcessHandle.of(before.pid()).orElseThrow().destroyForcibly();
        AtomicBoolean sawDown = new AtomicBoolean();
        Sandboxes.await("compute0 of server4 back UP with a new pid", 60_000, () -> Sandboxes.quietly(() -> {
            ContainerEntry entry = config().container(id);
            if (entry.health() == Health.DOWN) {
                sawDown.set(true);
            }
            return entry.health() == Health.UP && entry.pid() != before.pid();
        }));
        ContainerEntry after = config().container(id);
        assertThat(after.lastFailure()).contains("killed by SIGKILL");
        assertThat(after.healthSinceMillis()).isGreaterThan(killedAt);
        ContainerStatus restarted = Sandboxes.container(cli, address(4), "compute0");
        assertThat(restarted.pid()).isNotEqualTo(before.pid());
        assertThat(restarted.restarts()).isEqualTo(before.restarts() + 1);
        assertThat(restarted.lastFailure()).contains("killed by SIGKILL (exit 137)");
        System.out.printf("FIGURE kill -9 to UP again: %.1f s (DOWN seen while polling: %s)%n",
                (after.healthSinceMillis() - killedAt) / 1000.0, sawDown.get());
    }

    @Test
    @Order(3)
    void stoppingTheLeadersContainerElectsAnotherWhileStatusKeepsAnswering() throws Exception {
        ClusterView view = Sandboxes.anyView(SUBNET);
        ContainerEntry leader = view.config().container(view.leaderContainerId());
        AtomicBoolean polling = new AtomicBoolean(true);
        AtomicInteger answered = new AtomicInteger();
        List<String> failures = new ArrayList<>();
        Thread poller = Thread.ofPlatform().start(() -> {
            while (polling.get()) {
                CliRunner.Result status = cli.run("status");
                if (status.code() == 0) {
                    answered.incrementAndGet();
                } else {
                    synchronized (failures) {
                        failures.add(status.err());
                    }
                }
            }
        });
        try {
            cli.run("-H", leader.address(), "local", "stop", leader.name()).expectSuccess();
            Sandboxes.await("a new leader", 30_000, () -> Sandboxes.quietly(() -> {
                ClusterView now = Sandboxes.anyView(SUBNET);
                return now.leaderContainerId() != null && now.leaderContainerId() != leader.id();
            }));
            Sandboxes.await("the stopped container marked DOWN", 30_000,
                    () -> Sandboxes.quietly(() -> config().container(leader.id()).health() == Health.DOWN));
        } finally {
            polling.set(false);
            poller.join();
        }
        assertThat(failures).as("strata status failures while the leader was lost").isEmpty();
        assertThat(answered.get()).isPositive();
        cli.run("-H", leader.address(), "local", "start", leader.name()).expectSuccess();
        Sandboxes.await("the leader's old container UP again", 60_000,
                () -> Sandboxes.quietly(() -> config().container(leader.id()).health() == Health.UP));
    }

    @Test
    @Order(4)
    void aKilledAgentAdoptsItsRunningContainersAndAStoppedOneBringsThemBack() throws Exception {
        SandboxState.Server server = state.servers().get(4);
        Map<String, Long> pids = new java.util.TreeMap<>();
        Sandboxes.ps(cli, server.address()).forEach(c -> pids.put(c.name(), c.pid()));
        long agentPid = currentAgentPid(server);
        List<String> agentCommand = Sandboxes.commandLine(agentPid);
        kill(agentPid);
        assertThat(pids.values()).allMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        relaunch(server, agentCommand);
        Sandboxes.await("the agent adopted its containers", 60_000, () -> Sandboxes.quietly(() ->
                Sandboxes.ps(cli, server.address()).stream().allMatch(c -> c.ready() && c.pid() == pids.get(c.name()))));

        CliRunner.Result shutdown = cli.run("-H", server.address(), "local", "stop");
        assertThat(shutdown.code()).as(shutdown.toString()).isZero();
        // the operator stopped them: a new agent keeps them stopped
        long second = currentAgentPid(server);
        ProcessHandle.of(second).orElseThrow().destroy();
        ProcessHandle.of(second).orElseThrow().onExit().get();
        relaunch(server, agentCommand);
        Sandboxes.await("the agent is back", 60_000, () -> Sandboxes.quietly(() -> Sandboxes.ps(cli, server.address()).size() == 3));
        assertThat(Sandboxes.ps(cli, server.address())).allMatch(c -> c.state().equals("STOPPED"));
        cli.run("-H", server.address(), "local", "start").expectSuccess();
        Sandboxes.await("every container UP again", 60_000, () -> Sandboxes.quietly(() -> config().containerList().stream()
                .allMatch(c -> c.health() == Health.UP)));

        // an agent that dies while its containers are stopped... and one whose server restarts: containers
        // desired RUNNING come back when a new agent starts.
        Sandboxes.ps(cli, server.address()).forEach(c -> ProcessHandle.of(c.pid()).ifPresent(ProcessHandle::destroyForcibly));
        long third = currentAgentPid(server);
        kill(third);
        relaunch(server, agentCommand);
        Sandboxes.await("containers started again by the new agent", 90_000, () -> Sandboxes.quietly(() ->
                Sandboxes.ps(cli, server.address()).stream().allMatch(c -> c.ready() && c.pid() != pids.get(c.name()))));
        Sandboxes.await("every container UP again", 60_000, () -> Sandboxes.quietly(() -> config().containerList().stream()
                .allMatch(c -> c.health() == Health.UP)));
    }

    private static void kill(long pid) throws Exception {
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
        process.destroyForcibly();
        process.onExit().get();
    }

    private long currentAgentPid(SandboxState.Server server) {
        return ProcessHandle.allProcesses().filter(p -> p.info().arguments()
                .map(args -> List.of(args).contains("io.strata.agent.AgentMain") && List.of(args).contains(server.root()))
                .orElse(false)).findFirst().orElseThrow().pid();
    }

    private static void relaunch(SandboxState.Server server, List<String> command) throws Exception {
        List<String> detached = new ArrayList<>();
        detached.add("setsid");
        detached.addAll(command);
        new ProcessBuilder(detached).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of(server.root(), "logs", "agent.log").toFile()))
                .start();
    }

    @Test
    @Order(5)
    void badInputIsRefusedWithOneLineNamingTheValuesAndChangesNothing() throws Exception {
        Path files = Files.createTempDirectory(home, "resources");
        String server = address(2);
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put(resourceFile(files, "many", 14500, 20, 5), "container extra0 has 20 role processes; at most 19 fit in a container");
        cases.put(resourceFile(files, "taken", 14500, 1, 1), "core 1 of container extra0 is already used by container drives0");
        cases.put(resourceFile(files, "missing", 14500, 1, 9), "core 9 of container extra0 does not exist on server2 (cores 0-7)");
        cases.put(resourceFile(files, "overlap", 14050, 1, 6), "ports 14050-14149 of container extra0 overlap ports 14000-14099 of container drives0");
        Path broken = files.resolve("broken.json");
        Files.writeString(broken, "{ \"format\": 1, \"name\": ");
        cases.put(broken.toString(), "is not a valid ResourceFile");
        for (Map.Entry<String, String> entry : cases.entrySet()) {
            CliRunner.Result result = cli.run("-H", server, "local", "setup", "container", "--resources-path", entry.getKey());
            assertThat(result.code()).as(result.toString()).isNotZero();
            assertThat(result.err()).startsWith("error: ").contains(entry.getValue());
            assertThat(result.err().strip().lines().count()).as("one line: %s", result.err()).isEqualTo(1);
        }
        assertThat(Sandboxes.ps(cli, server)).extracting(ContainerStatus::name).containsExactly("compute0", "drives0", "frontend0");
        assertThat(cli.run("cluster", "create", server).err()).contains("server2 already belongs to cluster " + state.clusterId());
        assertThat(cli.run("-H", server, "local", "stop", "nosuch").err())
                .contains("server2 has no container nosuch (containers: [compute0, drives0, frontend0])");
        assertThat(cli.run("-H", SUBNET + ".1:99999", "status").err()).contains("port 99999 in '127.0.3.1:99999' is out of range");
        assertThat(cli.run("cluster", "create").err()).contains("Missing required parameter: 'SERVER'");
    }

    private static String resourceFile(Path dir, String name, int basePort, int processes, int firstCore) throws Exception {
        StringBuilder slots = new StringBuilder("{\"slot\":0,\"roles\":[\"management\"],\"coreId\":null,\"dedicatedCore\":false,\"port\":"
                + basePort + "}");
        for (int slot = 1; slot <= processes; slot++) {
            slots.append(",{\"slot\":").append(slot).append(",\"roles\":[\"compute\"],\"coreId\":").append(firstCore + slot - 1)
                    .append(",\"dedicatedCore\":true,\"port\":").append(basePort + slot).append('}');
        }
        String json = "{\"format\":1,\"name\":\"extra0\",\"hostname\":\"server2\",\"failureDomain\":\"server2\",\"basePort\":" + basePort
                + ",\"memoryBytes\":0,\"nics\":[],\"drives\":[],\"notes\":[],\"processes\":[" + slots + "]}";
        Path file = dir.resolve(name + ".json");
        Files.writeString(file, json);
        return file.toString();
    }

    @Test
    @Order(6)
    void changesWithoutALoginAreRefusedButStatusAnswersAnyone() throws Exception {
        CliRunner stranger = new CliRunner(Files.createTempDirectory(home, "stranger"));
        CliRunner.Result refused = stranger.run("-H", address(1), "cluster", "container", "deactivate", "5");
        assertThat(refused.code()).isEqualTo(5);
        assertThat(refused.err()).contains("not logged in").contains("strata user login");
        assertThat(stranger.run("-H", address(1), "status").expectSuccess().out()).contains("status: OK");
        assertThat(stranger.run("-H", address(1), "local", "stop", "compute0").err()).contains("local key");
        Path password = home.resolve("sandbox").resolve("admin-password");
        CliRunner.Result login = stranger.run("-H", address(1), "user", "login", "admin", "--password-file", password.toString());
        assertThat(login.out()).contains("logged in as admin");
        CliRunner.Result deactivated = stranger.run("-H", address(1), "cluster", "container", "deactivate", "5").expectSuccess();
        assertThat(deactivated.out()).contains("deactivated container 5");
        assertThat(stranger.run("-H", address(1), "cluster", "container").out()).contains("INACTIVE");
        stranger.run("-H", address(1), "cluster", "container", "activate", "5").expectSuccess();
    }

    @Test
    @Order(7)
    void aContainerPresentingAWrongJoinSecretIsRefusedAndTheAttemptLogged() throws Exception {
        SandboxState.Server server = state.servers().get(5);
        Path secretFile = Path.of(server.root(), "secrets", "join.secret");
        String secret = Files.readString(secretFile);
        int id = config().findContainer("server6", "compute0").orElseThrow().id();
        try {
            Files.writeString(secretFile, "not-the-secret");
            cli.run("-H", server.address(), "local", "restart", "compute0").expectSuccess();
            Sandboxes.await("compute0 of server6 DOWN", 30_000,
                    () -> Sandboxes.quietly(() -> config().container(id).health() == Health.DOWN));
            Thread.sleep(2_000);
            assertThat(config().container(id).health()).isEqualTo(Health.DOWN);
            String logs = Sandboxes.readAllLogs(home.resolve("sandbox"));
            assertThat(logs).contains("refused join credentials of 'server6/compute0'").contains("join secret does not match");
        } finally {
            Files.writeString(secretFile, secret);
        }
        cli.run("-H", server.address(), "local", "restart", "compute0").expectSuccess();
        Sandboxes.await("compute0 of server6 UP with the right secret", 60_000,
                () -> Sandboxes.quietly(() -> config().container(id).health() == Health.UP));
    }

    @Test
    @Order(8)
    void secretsNeverAppearInLogsOrJson() throws Exception {
        String joinSecret = Files.readString(Path.of(state.servers().getFirst().root(), "secrets", "join.secret")).strip();
        String password = Files.readString(home.resolve("sandbox").resolve("admin-password")).strip();
        String tokens = Files.readString(cli.home().tokensFile(), StandardCharsets.UTF_8);
        String token = tokens.substring(tokens.indexOf(':') + 2, tokens.lastIndexOf('"'));
        assertThat(joinSecret).hasSizeGreaterThan(20);
        String logs = Sandboxes.readAllLogs(home.resolve("sandbox"));
        assertThat(logs).doesNotContain(joinSecret).doesNotContain(password).doesNotContain(token);
        for (String[] command : List.of(new String[] {"-J", "status"}, new String[] {"-J", "cluster", "container"},
                new String[] {"-J", "cluster", "process"}, new String[] {"-J", "-H", address(1), "local", "status"},
                new String[] {"-J", "user"})) {
            String out = cli.run(command).expectSuccess().out();
            assertThat(out).doesNotContain(joinSecret).doesNotContain(password).doesNotContain(token);
        }
        assertThat(io.strata.runtime.SafeFiles.isOwnerOnly(Path.of(state.servers().getFirst().root(), "secrets", "join.secret")))
                .isTrue();
        assertThat(io.strata.runtime.SafeFiles.isOwnerOnly(cli.home().tokensFile())).isTrue();
    }

    @Test
    @Order(9)
    void aRecordedSixteenCoreServerJoinsOnTheResourcesGeneratedForIt() throws Exception {
        Path shape = Path.of(System.getProperty("strata.repository")).resolve("strata-resources/src/test/resources/shapes/server-16c-ht-4nvme");
        Path files = Files.createTempDirectory(home, "stor16");
        CliRunner.Result generated = cli.run("resources", "generate", "--root", shape.toString(), "--path", files.toString())
                .expectSuccess();
        List<String> written = generated.out().lines().toList();
        assertThat(written).hasSize(3);
        io.strata.config.resources.ResourceFile first = io.strata.config.resources.ResourceFile.read(Path.of(written.getFirst()));
        long memory = Files.readAllLines(shape.resolve("proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).findFirst().orElseThrow();
        String address = address(7);
        startExtraAgent(first.hostname(), address, "0-31", memory);
        for (String file : written) {
            extra(address, "local", "setup", "container", "--resources-path", file).expectSuccess();
        }
        CliRunner.Result added = cli.run("cluster", "container", "add", address).expectSuccess();
        assertThat(added.out().lines().count()).isEqualTo(3);
        List<io.strata.cli.cluster.ProcessCommand.ProcessRow> rows = List.of(Json.mapper().readValue(
                cli.run("-J", "cluster", "process").expectSuccess().out(), io.strata.cli.cluster.ProcessCommand.ProcessRow[].class));
        for (String file : written) {
            io.strata.config.resources.ResourceFile resources = io.strata.config.resources.ResourceFile.read(Path.of(file));
            List<String> expected = resources.processes().stream()
                    .map(p -> p.slot() + "/" + p.role().wireName() + "/" + p.coreId() + "/" + p.port()).toList();
            List<String> listed = rows.stream().filter(r -> r.hostname().equals(resources.hostname()) && r.container().equals(resources.name()))
                    .map(r -> r.slot() + "/" + r.role() + "/" + r.core() + "/" + r.port()).toList();
            assertThat(listed).as("cluster process for %s", resources.name()).containsExactlyElementsOf(expected);
            ContainerRuntimeStatus runtime = Sandboxes.runtime(address, resources.basePort());
            for (ProcessRuntime process : runtime.processes()) {
                assertThat(Sandboxes.cpusAllowed(runtime.pid(), process.threadId()))
                        .isEqualTo(Integer.toString(process.coreId() % Runtime.getRuntime().availableProcessors()));
            }
        }
        CliRunner.Result here = cli.run("resources", "generate", "--path", Files.createTempDirectory(home, "here").toString());
        assertThat(here.code()).isNotZero();
        assertThat(here.err()).startsWith("error: no core left for compute");
        stopExtraAgent(address);
    }

    @Test
    @Order(10)
    void aSingleContainerServerGetsItsRolesAllocatedFromACoreCount() throws Exception {
        String address = address(8);
        startExtraAgent("server8", address, "8", 0);
        CliRunner.Result setup = extra(address, "local", "setup", "container", "--name", "default", "--cores", "4");
        assertThat(setup.code()).as(setup.toString()).isZero();
        ContainerStatus single = Sandboxes.container(cli, address, "default");
        assertThat(single.resources().roleProcesses()).hasSize(4);
        assertThat(single.resources().roleProcesses()).noneMatch(p -> p.coreId() == 0);
        assertThat(single.resources().roles()).contains(io.strata.config.Role.COMPUTE, io.strata.config.Role.FRONTEND);
        CliRunner.Result tooMany = extra(address, "local", "setup", "container", "--name", "other", "--cores", "4");
        assertThat(tooMany.err()).startsWith("error: more cores asked than the server has");
        assertThat(Sandboxes.ps(cli, address)).hasSize(1);
        cli.run("cluster", "container", "add", address).expectSuccess();
        assertThat(cli.run("cluster", "container").out()).contains("server8");
        stopExtraAgent(address);
    }

    private final Map<String, Path> extraRoots = new java.util.HashMap<>();

    /** Runs a command against a server that is not one of the sandbox's own (its agent root named explicitly). */
    private CliRunner.Result extra(String address, String... args) {
        List<String> full = new ArrayList<>(List.of("-H", address, "--agent-root", extraRoots.get(address).toString()));
        full.addAll(List.of(args));
        return cli.run(full.toArray(String[]::new));
    }

    private void startExtraAgent(String hostname, String address, String cores, long memory) throws Exception {
        List<String> template = Sandboxes.commandLine(currentAgentPid(state.servers().getFirst()));
        List<String> command = new ArrayList<>(template.subList(0, template.indexOf("io.strata.agent.AgentMain") + 1));
        Path root = home.resolve("sandbox").resolve("servers").resolve(hostname);
        extraRoots.put(address, root);
        Files.createDirectories(root.resolve("versions"));
        Path release = Path.of(state.servers().getFirst().root()).resolve("versions").resolve(state.release());
        Files.createSymbolicLink(root.resolve("versions").resolve(state.release()), release);
        command.addAll(List.of("--root", root.toString(), "--hostname", hostname, "--address", address, "--failure-domain", hostname,
                "--cores", cores, "--core-mapping", "modulo"));
        if (memory > 0) {
            command.addAll(List.of("--memory", Long.toString(memory)));
        }
        Files.createDirectories(root.resolve("logs"));
        relaunch(new SandboxState.Server(hostname, address, root.toString(), 0), command);
        Sandboxes.await("the agent of " + hostname, 60_000, () -> Sandboxes.quietly(() -> cli.run("-H", address, "local", "ps").code() == 0));
    }

    private void stopExtraAgent(String address) throws Exception {
        extra(address, "local", "stop").expectSuccess();
        long pid = ProcessHandle.allProcesses().filter(p -> p.info().arguments().map(args -> List.of(args).contains(address)
                && List.of(args).contains("io.strata.agent.AgentMain")).orElse(false)).findFirst().orElseThrow().pid();
        kill(pid);
    }
}
