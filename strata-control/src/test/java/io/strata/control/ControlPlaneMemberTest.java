package io.strata.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.config.Role;
import io.strata.config.cluster.ClusterConfig;
import io.strata.config.cluster.ClusterSecrets;
import io.strata.config.cluster.ConfigCommand;
import io.strata.config.cluster.ContainerEntry;
import io.strata.config.cluster.Health;
import io.strata.config.cluster.MemberEndpoint;
import io.strata.config.cluster.ProcessEntry;
import io.strata.config.cluster.Protection;
import io.strata.config.cluster.ServerEntry;
import io.strata.control.raft.ControlPlaneMember;
import io.strata.runtime.StrataException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlPlaneMemberTest {
    @TempDir
    Path dir;
    private final List<ControlPlaneMember> running = new ArrayList<>();
    private final List<MemberEndpoint> endpoints = new ArrayList<>();

    @AfterEach
    void stop() {
        running.forEach(ControlPlaneMember::close);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private ControlPlaneMember start(int id) {
        MemberEndpoint endpoint = endpoints.get(id);
        ControlPlaneMember member = new ControlPlaneMember(id, "cluster-a", endpoints, dir.resolve("c" + id), "127.0.0.1",
                endpoint.raftPort(), state -> { }).start();
        running.add(member);
        return member;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within 20 s");
            }
            Thread.sleep(20);
        }
    }

    private static ClusterConfig initialConfig() {
        TreeMap<Integer, ContainerEntry> containers = new TreeMap<>();
        TreeMap<String, ServerEntry> servers = new TreeMap<>();
        for (int id = 0; id < 3; id++) {
            String host = "server" + (id + 1);
            servers.put(host, new ServerEntry(host, "127.0.1." + (id + 1), host, 13900));
            containers.put(id, new ContainerEntry(id, "drives0", host, "127.0.1." + (id + 1), host, 14000, "0.1.0", true,
                    Health.UP, 1000, null, 0, List.of(new ProcessEntry(id * 20, 0, Role.MANAGEMENT, null, 14000, Health.UP),
                    new ProcessEntry(id * 20 + 1, 1, Role.DRIVE, 1, 14001, Health.UP)), 1000, 1));
        }
        return new ClusterConfig(0, "cluster-a", "test", 1000, new Protection(3, 2, 0), 12, servers, containers,
                List.of(0, 1, 2), null, null, 3);
    }

    /** Three members on loopback, and the cluster created through the first; returns once all three hold it. */
    private List<ControlPlaneMember> startThreeAndCreateTheCluster() throws Exception {
        for (int id = 0; id < 3; id++) {
            endpoints.add(new MemberEndpoint(id, "server" + (id + 1), "127.0.0.1", 0, freePort()));
        }
        List<ControlPlaneMember> members = new ArrayList<>();
        for (int id = 0; id < 3; id++) {
            members.add(start(id));
        }
        members.getFirst().submit(new ConfigCommand.CreateCluster(initialConfig(), new ClusterSecrets("join", "tok", null)));
        await(() -> members.stream().allMatch(m -> m.state().config().isCreated()));
        return members;
    }

    @Test
    void changesReplicateLeaderLossElectsAnotherAndRestartsRecover() throws Exception {
        List<ControlPlaneMember> members = startThreeAndCreateTheCluster();
        assertThat(members.get(2).state().secrets().joinSecret()).isEqualTo("join");
        assertThat(members.get(1).state().config().activeRelease()).isEqualTo("0.1.0");

        assertThatThrownBy(() -> members.get(1).submit(new ConfigCommand.RemoveContainer(1)))
                .isInstanceOf(StrataException.class).hasMessageContaining("is active: deactivate it first");

        await(() -> members.stream().anyMatch(ControlPlaneMember::isLeader));
        ControlPlaneMember leader = members.stream().filter(ControlPlaneMember::isLeader).findFirst().orElseThrow();
        leader.close();
        running.remove(leader);
        List<ControlPlaneMember> rest = members.stream().filter(m -> m != leader).toList();
        await(() -> rest.stream().anyMatch(ControlPlaneMember::isLeader));
        rest.getFirst().submit(new ConfigCommand.ReportHealth(leader.containerId(), Health.DOWN, 2000, "stopped", null, 0, 0, Map.of()));
        await(() -> rest.stream().allMatch(m -> m.state().config().container(leader.containerId()).health() == Health.DOWN));

        ControlPlaneMember back = start(leader.containerId());
        await(() -> back.state().config().container(leader.containerId()).health() == Health.DOWN);
        assertThat(back.state().config().revision()).isEqualTo(rest.getFirst().state().config().revision());
    }

    /**
     * A member that returns after the leader purged the log entries it lacks is sent the leader's
     * snapshot (Ratis's install pauses the state machine and checks that it went through PAUSED).
     */
    @Test
    void aMemberBackAfterTheLogWasPurgedCatchesUpFromASnapshot() throws Exception {
        List<ControlPlaneMember> members = startThreeAndCreateTheCluster();
        await(() -> members.stream().anyMatch(ControlPlaneMember::isLeader));
        ControlPlaneMember leader = members.stream().filter(ControlPlaneMember::isLeader).findFirst().orElseThrow();
        ControlPlaneMember away = members.stream().filter(m -> m != leader).findFirst().orElseThrow();
        ControlPlaneMember other = members.stream().filter(m -> m != leader && m != away).findFirst().orElseThrow();
        away.close();
        running.remove(away);

        reportHealthTimes(leader, 1, 1100);
        // a new term closes the log's segment (Ratis purges whole closed segments only); the
        // snapshot taken 2000 entries later lets it purge that one (in steps of 1024 entries)
        leader.transferLeadership(other.containerId(), 10_000);
        await(other::isLeader);
        reportHealthTimes(other, 1101, 2000 + (int) io.strata.control.raft.RaftSettings.SNAPSHOT_EVERY_ENTRIES);
        Path otherLog = dir.resolve("c" + other.containerId());
        await(() -> !logSegmentsFrom(otherLog, 0));

        ControlPlaneMember back = start(away.containerId());
        await(() -> back.state().config().revision() == other.state().config().revision());
        assertThat(back.state().config().container(1).health()).isEqualTo(other.state().config().container(1).health());
        assertThat(snapshotIndices(dir.resolve("c" + away.containerId())).stream().anyMatch(i -> i > 1100))
                .as("the snapshot it was sent").isTrue();
    }

    private static void reportHealthTimes(ControlPlaneMember leader, int from, int to) {
        for (int i = from; i <= to; i++) {
            leader.submit(new ConfigCommand.ReportHealth(1, i % 2 == 0 ? Health.UP : Health.DOWN, 2000 + i, "test", null, 0, 0,
                    Map.of()));
        }
    }

    /** Whether a Raft log segment starting at {@code index} is still in the member's folder. */
    private static boolean logSegmentsFrom(Path storage, long index) {
        try (var files = java.nio.file.Files.walk(storage)) {
            return files.map(f -> f.getFileName().toString())
                    .anyMatch(name -> name.startsWith("log_" + index + "-") || name.equals("log_inprogress_" + index));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<Long> snapshotIndices(Path storage) throws IOException {
        try (var files = java.nio.file.Files.walk(storage)) {
            return files.map(f -> f.getFileName().toString()).filter(name -> name.matches("snapshot\\.\\d+_\\d+"))
                    .map(name -> Long.parseLong(name.substring(name.indexOf('_') + 1))).toList();
        }
    }
}
