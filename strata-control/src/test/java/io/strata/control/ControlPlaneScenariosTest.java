package io.strata.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.config.cluster.ContainerEntry;
import io.strata.config.cluster.Health;
import io.strata.control.service.ManagementApi;
import io.strata.control.service.ManagementMessages.ClusterView;
import io.strata.control.service.ManagementMessages.ContainerRef;
import io.strata.control.service.ManagementMessages.LoginReply;
import io.strata.control.service.ManagementMessages.LoginRequest;
import io.strata.control.service.ManagementService;
import io.strata.protocol.auth.Credentials;
import io.strata.protocol.rpc.ControlClient;
import io.strata.protocol.rpc.NoParams;
import io.strata.runtime.ErrorCode;
import io.strata.runtime.StrataException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control plane's scenarios on six in-process management processes over real sockets. */
class ControlPlaneScenariosTest {
    private static final String SECRET = "the-join-secret-of-this-cluster";

    @TempDir
    Path dir;
    private InProcessControlPlane plane;

    @AfterEach
    void close() {
        if (plane != null) {
            plane.close();
        }
    }

    private InProcessControlPlane formed() throws InterruptedException {
        plane = new InProcessControlPlane(dir, 6, SECRET);
        plane.form();
        return plane;
    }

    private static ControlClient client(int id, Credentials credentials) {
        return ControlClient.connect(new InetSocketAddress(InProcessControlPlane.address(id), InProcessControlPlane.BASE_PORT),
                credentials, "test");
    }

    private static String login(int id) {
        try (ControlClient client = client(id, Credentials.NONE)) {
            return client.call(ManagementApi.LOGIN, new LoginRequest("admin", InProcessControlPlane.ADMIN_PASSWORD),
                    LoginReply.class).token();
        }
    }

    private int follower() {
        return plane.runningIds().stream().filter(id -> !plane.config().controlMembers().contains(id)).findFirst().orElseThrow();
    }

    @Test
    void fiveMembersInDistinctDomainsKeepTheConfigurationAndAFollowerForwardsChanges() throws Exception {
        formed();
        assertThat(plane.config().controlMembers()).hasSize(5);
        int follower = follower();
        assertThat(plane.service(follower).isMember()).isFalse();
        String token = login(follower);
        try (ControlClient client = client(follower, Credentials.token(token))) {
            client.call(ManagementApi.CONTAINER_DEACTIVATE, new ContainerRef("server2/drives0"));
        }
        InProcessControlPlane.await(() -> plane.runningIds().stream()
                .allMatch(id -> !plane.service(id).config().container(1).active()));
        try (ControlClient client = client(follower, Credentials.NONE)) {
            ClusterView view = client.call(ManagementApi.VIEW, NoParams.INSTANCE, ClusterView.class);
            assertThat(view.config().container(1).active()).isFalse();
            assertThat(view.stale()).isFalse();
            assertThat(view.leaderContainerId()).isNotNull();
        }
    }

    @Test
    void losingTheLeaderElectsAnotherWhileReadsAndChangesGoOn() throws Exception {
        formed();
        int leader = plane.awaitLeader();
        plane.stop(leader);
        int next = plane.awaitLeader();
        assertThat(next).isNotEqualTo(leader);
        int follower = follower();
        try (ControlClient client = client(follower, Credentials.token(login(follower)))) {
            ClusterView view = client.call(ManagementApi.VIEW, NoParams.INSTANCE, ClusterView.class);
            assertThat(view.config().isCreated()).isTrue();
            ContainerEntry changed = io.strata.runtime.Json.fromTree(
                    client.call(ManagementApi.CONTAINER_DEACTIVATE, new ContainerRef(Integer.toString(follower))), ContainerEntry.class);
            assertThat(changed.active()).isFalse();
        }
    }

    @Test
    void aSilentContainerIsMarkedDownAndUpAgainWhenItReturns() throws Exception {
        formed();
        int victim = follower();
        plane.stop(victim);
        InProcessControlPlane.await(() -> plane.service(plane.config().controlMembers().getFirst()).config()
                .container(victim).health() == Health.DOWN);
        ContainerEntry down = plane.service(plane.config().controlMembers().getFirst()).config().container(victim);
        assertThat(down.lastFailure()).startsWith("no heartbeat for");
        assertThat(down.processes()).allMatch(p -> p.health() == Health.DOWN);
        plane.start(victim);
        InProcessControlPlane.await(() -> plane.service(plane.config().controlMembers().getFirst()).config()
                .container(victim).health() == Health.UP);
    }

    @Test
    void aContainerWithAWrongJoinSecretIsRefusedLoggedAndStaysDown() throws Exception {
        formed();
        int victim = follower();
        plane.stop(victim);
        int member = plane.config().controlMembers().getFirst();
        InProcessControlPlane.await(() -> plane.service(member).config().container(victim).health() == Health.DOWN);
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            plane.writeMembership(victim, io.strata.control.service.ClusterFormation.endpoints(plane.config()), "a-wrong-secret");
            plane.start(victim);
            Thread.sleep(3_000);
        } finally {
            System.setErr(originalErr);
        }
        assertThat(plane.service(member).config().container(victim).health()).isEqualTo(Health.DOWN);
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("refused join credentials of '" + InProcessControlPlane.hostname(victim) + "/drives0'")
                .contains("join secret does not match")
                .doesNotContain("a-wrong-secret").doesNotContain(SECRET);
        assertThatThrownBy(() -> client(member, Credentials.joinSecret("intruder", "a-wrong-secret")))
                .isInstanceOf(StrataException.class).hasMessageContaining("join secret does not match");
    }

    @Test
    void changesNeedALoginAndTheViewCarriesNoSecret() throws Exception {
        formed();
        int follower = follower();
        try (ControlClient anonymous = client(follower, Credentials.NONE)) {
            assertThatThrownBy(() -> anonymous.call(ManagementApi.CONTAINER_DEACTIVATE, new ContainerRef("0")))
                    .isInstanceOf(StrataException.class)
                    .hasMessageContaining("not logged in")
                    .extracting(e -> ((StrataException) e).code()).isEqualTo(ErrorCode.NOT_LOGGED_IN);
            assertThatThrownBy(() -> anonymous.call(ManagementApi.LOGIN, new LoginRequest("admin", "wrong-password")))
                    .hasMessage("wrong user name or password");
            String view = anonymous.call(ManagementApi.VIEW, NoParams.INSTANCE).toString();
            assertThat(view).contains("cluster-test").doesNotContain(SECRET).doesNotContain("token-key-for-tests");
        }
        String token = login(follower);
        int member = plane.config().controlMembers().getFirst();
        try (ControlClient client = client(member, Credentials.token(token))) {
            assertThat(client.identity().name()).isEqualTo("admin");
            client.call(ManagementApi.CONTAINER_ACTIVATE, new ContainerRef("0"));
        }
        List<ManagementService> services = plane.runningIds().stream().map(plane::service).toList();
        assertThat(services).allMatch(s -> s.isJoined());
    }
}
