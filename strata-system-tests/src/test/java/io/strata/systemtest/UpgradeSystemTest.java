package io.strata.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cli.sandbox.SandboxState;
import io.strata.config.cluster.BucketEntry;
import io.strata.config.cluster.ClusterConfig;
import io.strata.config.cluster.ContainerEntry;
import io.strata.config.cluster.Health;
import io.strata.config.cluster.UpgradeState;
import io.strata.config.ProcessIds;
import io.strata.runtime.Json;
import io.strata.runtime.Release;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * Non-disruptive upgrades on a six-server sandbox with real container JVMs and real FUSE mounts,
 * using two real builds of the project: this release and the next one (another release number,
 * wire protocol 2, and its capability: writes carrying checksums). A workload writes, fsyncs and
 * verifies files through the mounts the whole time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpgradeSystemTest {
    static final String SUBNET = "127.0.5";
    static final String NEXT = "0.99.0";
    static final String BROKEN = "0.99.1";

    private Path home;
    private CliRunner cli;
    private SandboxState state;
    private Path mountB;
    private Path nextArchive;
    private Path brokenArchive;
    private VerifyingWorkload workload;

    private static String address(int server) {
        return SUBNET + "." + server;
    }

    @BeforeAll
    void up() throws Exception {
        home = Files.createTempDirectory("strata-upgrade-");
        long building = System.nanoTime();
        nextArchive = Releases.build(home, NEXT, Release.current().protocol() + 1);
        brokenArchive = Releases.broken(home, nextArchive, BROKEN, Release.current().protocol() + 2);
        System.out.printf("FIGURE building the next release from source: %.1f s%n", (System.nanoTime() - building) / 1e9);
        cli = new CliRunner(home);
        CliRunner.Result up = cli.run("sandbox", "up", "--subnet", SUBNET);
        assertThat(up.code()).as(up.toString()).isZero();
        state = Json.readFile(home.resolve("sandbox").resolve("state.json"), SandboxState.class);
        mountB = Files.createDirectories(home.resolve("mnt-b"));
        cli.run("-H", address(2), "mount", "default", mountB.toString()).expectSuccess();
        workload = new VerifyingWorkload(Path.of(state.mountpoint()), mountB, "upgrade-workload", 77);
    }

    @AfterAll
    void down() throws Exception {
        if (workload != null) {
            workload.close();
        }
        if (cli == null) {
            return;
        }
        cli.run("-H", address(2), "umount", mountB.toString());
        Sandboxes.keepLogs(home.resolve("sandbox"), "upgrade");
        CliRunner.Result down = cli.run("sandbox", "down");
        assertThat(down.code()).as(down.toString()).isZero();
    }

    /** The configuration as a management process that knows every container answers it (one that has just restarted may not yet). */
    private ClusterConfig config() {
        ClusterConfig[] seen = new ClusterConfig[1];
        Sandboxes.await("a management process that knows all 18 containers", 30_000, () -> Sandboxes.quietly(() -> {
            seen[0] = Sandboxes.anyView(SUBNET).config();
            return seen[0].containers().size() == 18;
        }));
        return seen[0];
    }

    private UpgradeState upgrade() {
        return config().upgrade();
    }

    private void noWorkloadErrors() {
        assertThat(workload.errors()).as("IO errors seen by the workload").isEmpty();
    }

    /** Runs an upgrade to its end while checking that strata status answers throughout. */
    private UpgradeState runUpgrade(String release, long timeoutMs) {
        AtomicBoolean watching = new AtomicBoolean(true);
        AtomicInteger statusFailures = new AtomicInteger();
        List<String> failures = new ArrayList<>();
        Thread watcher = Thread.ofPlatform().start(() -> {
            while (watching.get()) {
                CliRunner.Result status = cli.run("status");
                if (status.code() != 0) {
                    statusFailures.incrementAndGet();
                    synchronized (failures) {
                        failures.add(status.err());
                    }
                }
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            cli.run("upgrade", "start", "--version", release).expectSuccess();
            Sandboxes.await("the upgrade to " + release + " to end", timeoutMs, () -> Sandboxes.quietly(() -> {
                UpgradeState upgrade = upgrade();
                return upgrade != null && !upgrade.isActive();
            }));
        } finally {
            watching.set(false);
            try {
                watcher.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        assertThat(failures).as("strata status failures during the upgrade").isEmpty();
        return upgrade();
    }

    @Test
    @Order(1)
    void theClusterUpgradesOneContainerAtATimeWhileTheWorkloadVerifies() throws Exception {
        cli.run("version", "install", nextArchive.toString(), "--all").expectSuccess();
        assertThat(cli.run("version", "--all").out()).contains(NEXT);
        assertThat(cli.run("upgrade", "start", "--version", "0.0.1").err()).contains("release 0.0.1 is not installed on server1");
        long started = System.currentTimeMillis();
        UpgradeState done = runUpgrade(NEXT, 900_000);
        long finished = System.currentTimeMillis();
        assertThat(done.status()).as(String.join("\n", done.log())).isEqualTo(UpgradeState.COMPLETED);
        ClusterConfig config = config();
        assertThat(config.containerList()).allMatch(c -> c.release().equals(NEXT) && c.health() == Health.UP);
        assertThat(config.activeRelease()).isEqualTo(NEXT);
        assertThat(config.activeProtocol()).isEqualTo(Release.current().protocol() + 1);
        Thread.sleep(5_000);
        String logs = Sandboxes.readAllLogs(home.resolve("sandbox"));
        assertThat(logs).as("the new release's capability switched on once every container runs it")
                .contains("writes now carry their checksums");
        noWorkloadErrors();
        System.out.printf("FIGURE rolling upgrade of 18 containers under load: %.0f s, workload %d operations, %d MiB verified%n",
                (finished - started) / 1000.0, workload.operations(), workload.verifiedBytes() >> 20);
        reportPhases(done, finished);
    }

    /** The longest workload pause during each phase, from the upgrade's own step times. */
    private void reportPhases(UpgradeState done, long finished) {
        List<long[]> switches = new ArrayList<>();
        String phase = null;
        long phaseStart = 0;
        for (String line : done.log()) {
            int space = line.indexOf(' ');
            long at = Instant.parse(line.substring(0, space)).toEpochMilli();
            String text = line.substring(space + 1);
            if (text.startsWith("switching container")) {
                ContainerEntry container = config().container(Integer.parseInt(text.split(" ")[2]));
                String role = container.roles().getFirst().wireName();
                if (!role.equals(phase)) {
                    if (phase != null) {
                        printPhase(phase, phaseStart, at);
                    }
                    phase = role;
                    phaseStart = at;
                }
            }
        }
        if (phase != null) {
            printPhase(phase, phaseStart, finished);
        }
    }

    private void printPhase(String phase, long from, long to) {
        System.out.printf("FIGURE longest IO pause while switching %s containers: %.2f s%n", phase,
                workload.longestPause(from, to) / 1000.0);
    }

    @Test
    @Order(2)
    void oneComputeAndOneDrivesContainerRollBackOnTheirOwn() throws Exception {
        cli.run("-H", address(1), "local", "rollback", "compute0").expectSuccess();
        cli.run("-H", address(2), "local", "rollback", "drives0").expectSuccess();
        String previous = Release.current().version();
        Sandboxes.await("both rolled back and UP", 120_000, () -> Sandboxes.quietly(() -> {
            ClusterConfig config = config();
            return config.findContainer("server1", "compute0").orElseThrow().release().equals(previous)
                    && config.findContainer("server2", "drives0").orElseThrow().release().equals(previous)
                    && config.containerList().stream().allMatch(c -> c.health() == Health.UP)
                    && config.dataPlane().buckets().stream().mapToLong(BucketEntry::degradedStripes).sum() == 0;
        }));
        assertThat(config().activeProtocol()).as("mixed releases speak the older protocol").isEqualTo(Release.current().protocol());
        assertThat(cli.run("cluster", "container").out()).contains(previous).contains(NEXT);
        int before = workload.operations();
        Sandboxes.await("the workload going on in the mixed cluster", 60_000, () -> workload.operations() > before + 10);
        assertThat(workload.operations()).as("the workload goes on in the mixed cluster").isGreaterThan(before);
        noWorkloadErrors();
        cli.run("version", "install", brokenArchive.toString(), "--all").expectSuccess();
        CliRunner.Result skip = cli.run("upgrade", "start", "--version", BROKEN, "--dry-run");
        assertThat(skip.err()).contains("skips one release");
        UpgradeState again = runUpgrade(NEXT, 300_000);
        assertThat(again.status()).isEqualTo(UpgradeState.COMPLETED);
        noWorkloadErrors();
    }

    @Test
    @Order(3)
    void aBrokenReleaseIsRolledBackAutomaticallyAndTheUpgradeStops() {
        UpgradeState failed = runUpgrade(BROKEN, 300_000);
        assertThat(failed.status()).isEqualTo(UpgradeState.FAILED);
        assertThat(failed.lastProblem()).contains("did not come back healthy on " + BROKEN).contains("rolled it back");
        Sandboxes.await("the broken container back on " + NEXT, 120_000, () -> Sandboxes.quietly(() ->
                config().containerList().stream().allMatch(c -> c.release().equals(NEXT) && c.health() == Health.UP)));
        assertThat(cli.run("upgrade", "status").out()).contains("FAILED").contains("last problem");
        noWorkloadErrors();
        System.out.println("FIGURE broken release: " + failed.lastProblem());
    }

    @Test
    @Order(4)
    void computeAndFrontendStopForMaintenanceWhileDrivesServeAndNothingIsRebuilt() throws Exception {
        String server = address(3);
        cli.run("-H", server, "local", "stop", "compute0", "frontend0", "--graceful").expectSuccess();
        int before = workload.operations();
        long watchUntil = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < watchUntil) {
            ClusterConfig config = config();
            assertThat(config.findContainer("server3", "drives0").orElseThrow().health()).isEqualTo(Health.UP);
            assertThat(config.dataPlane().buckets().stream().mapToLong(BucketEntry::degradedStripes).sum())
                    .as("no stripe degraded, no rebuild").isZero();
            Thread.sleep(1_000);
        }
        assertThat(workload.operations()).as("IO goes on through the other servers").isGreaterThan(before);
        noWorkloadErrors();
        cli.run("-H", server, "local", "start", "compute0", "frontend0").expectSuccess();
        int computeContainer = config().findContainer("server3", "compute0").orElseThrow().id();
        Sandboxes.await("leadership back on server3's compute processes", 120_000, () -> Sandboxes.quietly(() ->
                config().dataPlane().buckets().stream().anyMatch(b -> ProcessIds.containerOf(b.leader()) == computeContainer)));
        noWorkloadErrors();
    }
}
