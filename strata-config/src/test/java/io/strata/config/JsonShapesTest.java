package io.strata.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.config.resources.Nic;
import io.strata.config.resources.ProcessSlot;
import io.strata.config.resources.ResourceFile;
import io.strata.config.server.ContainerDefinition;
import io.strata.config.server.ServerIdentity;
import io.strata.runtime.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every file and message shape reads back as it was written, with no stray derived keys. */
class JsonShapesTest {
    @Test
    void resourceFilesRoundTripWithSortedKeysAndNoDerivedFields() {
        ResourceFile file = new ResourceFile(ResourceFile.FORMAT, "drives0", "server1", "fd1", 14000, 0,
                List.of(new Nic("eth0", "0000:00:03.0", List.of("10.0.0.1"), 24, "10.0.0.254", "data")), List.of("/dev/nvme0n1"),
                List.of(ProcessSlot.management(14000), ProcessSlot.role(1, Role.DRIVE, 3, true, 14000)), List.of("note"));
        String json = Json.toPrettyString(file);
        assertThat(json).doesNotContain("\"management\" :", "\"role\" :", "roleProcesses");
        assertThat(json.indexOf("\"basePort\"")).isLessThan(json.indexOf("\"drives\""));
        assertThat(Json.fromBytes(json.getBytes(), ResourceFile.class)).isEqualTo(file);
    }

    @Test
    void definitionsAndIdentitiesRoundTrip() {
        ResourceFile file = ContainerRulesTest.container("compute0", 14300, Role.COMPUTE, 2, 3);
        ContainerDefinition definition = new ContainerDefinition("compute0", "0.1.0", null, ContainerDefinition.DesiredState.RUNNING,
                "backoff", file, null, file, List.of(), 7);
        assertThat(Json.fromBytes(Json.toBytes(definition), ContainerDefinition.class)).isEqualTo(definition);
        ServerIdentity identity = new ServerIdentity("s", "127.0.1.1", "s", List.of(0, 1, 2), ServerIdentity.CoreMapping.MODULO, 1, 13900);
        assertThat(Json.fromBytes(Json.toBytes(identity), ServerIdentity.class)).isEqualTo(identity);
    }

    @Test
    void unknownKeysInAResourceFileAreAnErrorNamingTheKey() {
        String valid = Json.toPrettyString(ContainerRulesTest.container("drives0", 14000, Role.DRIVE, 1));
        String json = valid.replaceFirst("\\{", "{ \"coreIdz\" : 3,");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Json.fromBytes(json.getBytes(), ResourceFile.class))
                .hasMessageContaining("coreIdz");
    }
}
