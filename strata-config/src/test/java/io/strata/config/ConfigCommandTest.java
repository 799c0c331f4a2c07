package io.strata.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.config.cluster.ClusterConfig;
import io.strata.config.cluster.ClusterSecrets;
import io.strata.config.cluster.ConfigCommand;
import io.strata.config.cluster.ContainerEntry;
import io.strata.config.cluster.ControlState;
import io.strata.config.cluster.Health;
import io.strata.config.cluster.PasswordHash;
import io.strata.config.cluster.ProcessEntry;
import io.strata.config.cluster.Protection;
import io.strata.config.cluster.ServerEntry;
import io.strata.config.cluster.UserEntry;
import io.strata.runtime.Json;
import io.strata.runtime.StrataException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ConfigCommandTest {
    static ContainerEntry container(int id, String host, String name, String release) {
        return new ContainerEntry(id, name, host, "127.0.1.1", host, 14000, release, true, Health.UP, 100, null, 0,
                List.of(new ProcessEntry(id * 20, 0, Role.MANAGEMENT, null, 14000, Health.UP),
                        new ProcessEntry(id * 20 + 1, 1, Role.DRIVE, 1, 14001, Health.UP)), 100, 1000 + id);
    }

    static ControlState created() {
        TreeMap<Integer, ContainerEntry> containers = new TreeMap<>();
        containers.put(0, container(0, "server1", "drives0", "0.1.0"));
        containers.put(1, container(1, "server2", "drives0", "0.1.0"));
        ClusterConfig config = new ClusterConfig(0, "c1", "test", 100, new Protection(3, 2, 0), 12,
                new TreeMap<>(Map.of("server1", new ServerEntry("server1", "127.0.1.1", "server1", 13900))), containers,
                List.of(0), new TreeMap<>(Map.of("admin", new UserEntry("admin", "admin"))), null, 2);
        ClusterSecrets secrets = new ClusterSecrets("join-secret-value", "token-key-value",
                new TreeMap<>(Map.of("admin", new PasswordHash("PBKDF2WithHmacSHA256", 1, "salt", "hash-value"))));
        return new ConfigCommand.CreateCluster(config, secrets).apply(ControlState.empty()).state();
    }

    @Test
    void creationHappensOnceAndARetryOfTheSameCreationIsHarmless() {
        ControlState state = created();
        assertThat(state.config().revision()).isEqualTo(1);
        assertThat(state.config().activeRelease()).isEqualTo("0.1.0");
        ConfigCommand.CreateCluster again = new ConfigCommand.CreateCluster(state.config(), state.secrets());
        assertThat(again.apply(state).state()).isSameAs(state);
        ClusterConfig other = new ClusterConfig(0, "c2", "x", 0, null, 0, null, null, null, null, null, 0);
        assertThatThrownBy(() -> new ConfigCommand.CreateCluster(other, ClusterSecrets.empty()).apply(state))
                .hasMessage("this control plane already keeps cluster c1");
    }

    @Test
    void healthReportsMoveContainersAndTheirProcessesDownAndUp() {
        ControlState state = created();
        ControlState down = new ConfigCommand.ReportHealth(1, Health.DOWN, 500, "killed by SIGKILL (exit 137)", null, 0, 0, null)
                .apply(state).state();
        ContainerEntry entry = down.config().container(1);
        assertThat(entry.health()).isEqualTo(Health.DOWN);
        assertThat(entry.healthSinceMillis()).isEqualTo(500);
        assertThat(entry.lastFailure()).isEqualTo("killed by SIGKILL (exit 137)");
        assertThat(entry.processes()).allMatch(p -> p.health() == Health.DOWN);

        ControlState up = new ConfigCommand.ReportHealth(1, Health.UP, 900, null, "0.2.0", 880, 4242, Map.of(1, Health.UP))
                .apply(down).state();
        ContainerEntry back = up.config().container(1);
        assertThat(back.health()).isEqualTo(Health.UP);
        assertThat(back.pid()).isEqualTo(4242);
        assertThat(back.release()).isEqualTo("0.2.0");
        assertThat(back.lastFailure()).as("the last failure stays visible").isEqualTo("killed by SIGKILL (exit 137)");
        assertThat(back.processes()).filteredOn(p -> p.slot() == 0).allMatch(p -> p.health() == Health.DOWN);
        assertThat(back.processes()).filteredOn(p -> p.slot() == 1).allMatch(p -> p.health() == Health.UP);
        assertThat(up.config().activeRelease()).as("the lowest release of all containers").isEqualTo("0.1.0");
        assertThat(up.config().revision()).isEqualTo(3);
    }

    @Test
    void containersAreRemovedOnlyWhenDeactivatedAndNotKeepingTheConfiguration() {
        ControlState state = created();
        assertThatThrownBy(() -> new ConfigCommand.RemoveContainer(1).apply(state))
                .hasMessage("container 1 (server2/drives0) is active: deactivate it first");
        ControlState inactive = new ConfigCommand.SetContainerActive(1, false).apply(state).state();
        ControlState removed = new ConfigCommand.RemoveContainer(1).apply(inactive).state();
        assertThat(removed.config().containers()).doesNotContainKey(1);
        ControlState memberInactive = new ConfigCommand.SetContainerActive(0, false).apply(state).state();
        assertThatThrownBy(() -> new ConfigCommand.RemoveContainer(0).apply(memberInactive))
                .hasMessageContaining("keeps the cluster configuration");
        assertThatThrownBy(() -> new ConfigCommand.SetContainerActive(9, false).apply(state))
                .isInstanceOf(StrataException.class).hasMessageContaining("no container with id 9");
    }

    @Test
    void addedServersGetTheNextIdsInLogOrder() {
        ControlState state = created();
        ContainerEntry fresh = container(-1, "server3", "compute0", "0.1.0");
        var applied = new ConfigCommand.AddServer(new ServerEntry("server3", "127.0.1.3", "server3", 13900), List.of(fresh)).apply(state);
        assertThat(applied.reply()).isEqualTo(List.of(2));
        assertThat(applied.state().config().container(2).processes()).extracting(ProcessEntry::id).containsExactly(40, 41);
        assertThatThrownBy(() -> new ConfigCommand.AddServer(new ServerEntry("server3", "127.0.1.3", "server3", 13900),
                List.of(fresh)).apply(applied.state())).hasMessage("container server3/compute0 is already in the cluster");
    }

    @Test
    void aFilesystemGrowsOrShrinksButNeverBelowWhatItsBucketsHold() {
        ControlState state = new ConfigCommand.CreateFilesystem("data", 1000, 0).apply(created()).state();
        int id = state.config().dataPlane().filesystem("data").orElseThrow().id();
        state = new ConfigCommand.ReserveCapacity(id, 3, 600).apply(state).state();
        ControlState grown = new ConfigCommand.ResizeFilesystem("data", 5000).apply(state).state();
        assertThat(grown.config().dataPlane().filesystem("data").orElseThrow().capacityBytes()).isEqualTo(5000);
        assertThat(grown.config().dataPlane().filesystem("data").orElseThrow().reservedBytes()).isEqualTo(600);
        ControlState shrunk = new ConfigCommand.ResizeFilesystem("data", 600).apply(grown).state();
        assertThat(shrunk.config().dataPlane().filesystem("data").orElseThrow().capacityBytes()).isEqualTo(600);
        ControlState before = shrunk;
        assertThatThrownBy(() -> new ConfigCommand.ResizeFilesystem("data", 599).apply(before))
                .hasMessageStartingWith("cannot shrink data to 599 bytes: its buckets hold 600 bytes");
        assertThatThrownBy(() -> new ConfigCommand.ResizeFilesystem("nope", 10).apply(before)).hasMessage("no filesystem nope");
    }

    @Test
    void theLastAdminCannotBeRemoved() {
        assertThatThrownBy(() -> new ConfigCommand.RemoveUser("admin").apply(created()))
                .hasMessage("admin is the last admin user and cannot be removed");
    }

    @Test
    void commandsAndStateSurviveJsonAndTheConfigurationCarriesNoSecret() throws Exception {
        ControlState state = created();
        ConfigCommand command = new ConfigCommand.ReportHealth(1, Health.DOWN, 5, "why", null, 0, 0, Map.of(1, Health.DOWN));
        ConfigCommand decoded = Json.mapper().readValue(Json.toBytes(command), ConfigCommand.class);
        assertThat(decoded).isEqualTo(command);
        assertThat(Json.fromBytes(Json.toBytes(state), ControlState.class)).isEqualTo(state);
        String configJson = new String(Json.toBytes(state.config()), StandardCharsets.UTF_8);
        assertThat(configJson).doesNotContain("join-secret-value", "token-key-value", "hash-value");
        assertThat(state.secrets().toString()).doesNotContain("join-secret-value");
    }
}
