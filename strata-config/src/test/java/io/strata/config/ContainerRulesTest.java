package io.strata.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.config.resources.ProcessSlot;
import io.strata.config.resources.ResourceFile;
import io.strata.config.server.ContainerRules;
import io.strata.config.server.ServerIdentity;
import io.strata.runtime.StrataException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ContainerRulesTest {
    private static final ServerIdentity SERVER = new ServerIdentity("server1", "127.0.1.1", "server1",
            IntStream.range(0, 32).boxed().toList(), ServerIdentity.CoreMapping.MODULO, 64L << 30, 13900);

    static ResourceFile container(String name, int basePort, Role role, int... cores) {
        List<ProcessSlot> slots = new ArrayList<>();
        slots.add(ProcessSlot.management(basePort));
        for (int i = 0; i < cores.length; i++) {
            slots.add(ProcessSlot.role(i + 1, role, cores[i], true, basePort));
        }
        return new ResourceFile(ResourceFile.FORMAT, name, "server1", "server1", basePort, 0, List.of(), List.of(), slots, List.of());
    }

    @Test
    void aCoreMapsToItsCpuModuloTheMachineOrToNoneWhenShared() {
        org.assertj.core.api.Assertions.assertThat(SERVER.cpuOf(5, 2)).isEqualTo(1);
        ServerIdentity shared = new ServerIdentity("server1", "127.0.1.1", "server1", IntStream.range(0, 32).boxed().toList(),
                ServerIdentity.CoreMapping.SHARED, 64L << 30, 13900);
        org.assertj.core.api.Assertions.assertThat(shared.cpuOf(5, 2)).isEqualTo(ServerIdentity.UNPINNED);
        org.assertj.core.api.Assertions.assertThat(shared.coreMapping().simulated()).isTrue();
        assertThatThrownBy(() -> shared.cpuOf(32, 2)).hasMessageContaining("core 32 does not exist");
    }

    @Test
    void aWellFormedContainerBesideOthersPasses() {
        ResourceFile drives = container("drives0", 14000, Role.DRIVE, 1, 2);
        ResourceFile compute = container("compute0", 14300, Role.COMPUTE, 3, 4, 5);
        assertThatCode(() -> ContainerRules.check(compute, SERVER, List.of(drives))).doesNotThrowAnyException();
    }

    @Test
    void moreThanNineteenProcessesAreRefusedNamingTheCount() {
        int[] cores = IntStream.rangeClosed(1, 20).toArray();
        assertThatThrownBy(() -> ContainerRules.check(container("compute0", 14300, Role.COMPUTE, cores), SERVER, List.of()))
                .isInstanceOf(StrataException.class)
                .hasMessage("container compute0 has 20 role processes; at most 19 fit in a container");
    }

    @Test
    void aCoreOfAnotherContainerIsRefusedNamingBoth() {
        ResourceFile drives = container("drives0", 14000, Role.DRIVE, 1, 2);
        assertThatThrownBy(() -> ContainerRules.check(container("compute0", 14300, Role.COMPUTE, 2, 3), SERVER, List.of(drives)))
                .hasMessage("core 2 of container compute0 is already used by container drives0");
    }

    @Test
    void aCoreTheServerLacksIsRefusedNamingTheServersCores() {
        assertThatThrownBy(() -> ContainerRules.check(container("compute0", 14300, Role.COMPUTE, 3, 40), SERVER, List.of()))
                .hasMessage("core 40 of container compute0 does not exist on server1 (cores 0-31)");
    }

    @Test
    void overlappingPortRangesAreRefusedNamingBothRanges() {
        ResourceFile drives = container("drives0", 14000, Role.DRIVE, 1);
        assertThatThrownBy(() -> ContainerRules.check(container("compute0", 14050, Role.COMPUTE, 3), SERVER, List.of(drives)))
                .hasMessage("ports 14050-14149 of container compute0 overlap ports 14000-14099 of container drives0");
    }

    @Test
    void theAgentsPortCannotBeTaken() {
        assertThatThrownBy(() -> ContainerRules.check(container("compute0", 13850, Role.COMPUTE, 3), SERVER, List.of()))
                .hasMessage("ports 13850-13949 of container compute0 include the host agent's port 13900");
    }

    @Test
    void onlyUpToFourDriveProcessesMayShareACore() {
        List<ProcessSlot> slots = new ArrayList<>(List.of(ProcessSlot.management(14000)));
        for (int slot = 1; slot <= 5; slot++) {
            slots.add(ProcessSlot.role(slot, Role.DRIVE, 7, false, 14000));
        }
        ResourceFile file = container("drives0", 14000, Role.DRIVE, 1).withProcesses(slots);
        assertThatThrownBy(() -> ContainerRules.check(file, SERVER, List.of()))
                .hasMessage("core 7 is shared by 5 drive processes of container drives0; at most 4 may share a core");
        assertThatCode(() -> ContainerRules.check(file.withProcesses(slots.subList(0, 5)), SERVER, List.of()))
                .doesNotThrowAnyException();
    }

    @Test
    void computeProcessesNeverShareACore() {
        assertThatThrownBy(() -> ContainerRules.check(container("compute0", 14300, Role.COMPUTE, 3, 3), SERVER, List.of()))
                .hasMessage("core 3 is given to slots 1-2 of container compute0; only drive processes may share a core");
    }

    @Test
    void aPortMustBeBasePlusSlot() {
        ResourceFile file = container("drives0", 14000, Role.DRIVE, 1);
        List<ProcessSlot> slots = List.of(file.processes().get(0), new ProcessSlot(1, List.of(Role.DRIVE), 1, true, 14005));
        assertThatThrownBy(() -> ContainerRules.check(file.withProcesses(slots), SERVER, List.of()))
                .hasMessage("container drives0: slot 1 has port 14005; it must be base port 14000 + slot 1 = 14001");
    }

    @Test
    void allContainersOfAServerShareOneFailureDomain() {
        ResourceFile drives = container("drives0", 14000, Role.DRIVE, 1);
        ResourceFile compute = container("compute0", 14300, Role.COMPUTE, 3).withFailureDomain("rack7");
        assertThatThrownBy(() -> ContainerRules.check(compute, SERVER, List.of(drives)))
                .hasMessageContaining("failure domain rack7 of container compute0 differs from server1 of container drives0");
    }

    @Test
    void badNamesAndFormatsAreRefused() {
        assertThatThrownBy(() -> ContainerRules.check(container("Drives 0", 14000, Role.DRIVE, 1), SERVER, List.of()))
                .hasMessageStartingWith("container name 'Drives 0' is not valid");
        ResourceFile future = new ResourceFile(2, "drives0", "server1", "server1", 14000, 0, null, null,
                container("drives0", 14000, Role.DRIVE, 1).processes(), null);
        assertThatThrownBy(() -> ContainerRules.check(future, SERVER, List.of()))
                .hasMessage("resource file format 2 is not supported (this release reads format 1)");
    }
}
