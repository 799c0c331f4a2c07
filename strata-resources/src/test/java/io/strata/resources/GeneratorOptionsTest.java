package io.strata.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.config.Role;
import io.strata.runtime.StrataException;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeneratorOptionsTest {
    @Test
    void netSpecsParseNamesAddressesMasksAndGateways() {
        assertThat(NetSpec.parse("ens1f0")).isEqualTo(new NetSpec("ens1f0", List.of(), null, null));
        assertThat(NetSpec.parse("ens1f0/10.0.0.11+10.0.0.12/24/10.0.0.1"))
                .isEqualTo(new NetSpec("ens1f0", List.of("10.0.0.11", "10.0.0.12"), 24, "10.0.0.1"));
        assertThat(NetSpec.parse("ib0/fd00::11/64")).isEqualTo(new NetSpec("ib0", List.of("fd00::11"), 64, null));
        assertThat(NetSpec.parseList(List.of("a/10.0.0.1,b", "c"))).extracting(NetSpec::name).containsExactly("a", "b", "c");
    }

    @Test
    void badNetSpecsAreRefusedNamingTheValue() {
        assertThatThrownBy(() -> NetSpec.parse("ens1/10.0.0.256")).isInstanceOf(StrataException.class)
                .hasMessage("--net 'ens1/10.0.0.256': '10.0.0.256' is not an IPv4 address");
        assertThatThrownBy(() -> NetSpec.parse("ens1/10.0.0.1/33")).isInstanceOf(StrataException.class)
                .hasMessage("--net 'ens1/10.0.0.1/33': netmask bits 33 are outside 0-32");
        assertThatThrownBy(() -> NetSpec.parse("ens1/host.example")).isInstanceOf(StrataException.class)
                .hasMessage("--net 'ens1/host.example': 'host.example' is not an IP address");
        assertThatThrownBy(() -> NetSpec.parse("a/b/c/d/e")).isInstanceOf(StrataException.class)
                .hasMessage("--net 'a/b/c/d/e' is not NAME[/IP[+IP...][/BITS[/GATEWAY]]]");
    }

    @Test
    void sizesAreBinaryUnlessTheUnitSaysDecimal() {
        assertThat(ByteSizes.parse("64GiB")).isEqualTo(64L << 30);
        assertThat(ByteSizes.parse("64g")).isEqualTo(64L << 30);
        assertThat(ByteSizes.parse("1.5TiB")).isEqualTo(3L << 39);
        assertThat(ByteSizes.parse("64GB")).isEqualTo(64_000_000_000L);
        assertThat(ByteSizes.parse("4096")).isEqualTo(4096);
        assertThatThrownBy(() -> ByteSizes.parse("lots")).isInstanceOf(StrataException.class)
                .hasMessage("'lots' is not a size (write it as 64GiB, 512MiB, 1.5TiB or a number of bytes)");
        assertThat(ByteSizes.describe(3L << 29)).isEqualTo("1.5 GiB");
    }

    @Test
    void stringsFromTheCommandLineBecomeLists() {
        GeneratorOptions options = GeneratorOptions.builder()
                .drives("nvme0n1, /dev/nvme1n1").coreIds("1-3,8").computeMemory("10GiB").build();
        assertThat(options.drives()).containsExactly("nvme0n1", "/dev/nvme1n1");
        assertThat(options.coreIds()).containsExactly(1, 2, 3, 8);
        assertThat(options.computeMemoryBytes()).isEqualTo(10L << 30);
        assertThat(GeneratorOptions.builder().drives("none").build().drives()).isEmpty();
        assertThat(GeneratorOptions.defaults().drives()).isNull();
        assertThat(GeneratorOptions.builder().computeCoreIds("4-6").build().coresOf(Role.COMPUTE)).isEqualTo(3);
    }

    @Test
    void inconsistentOptionsAreRefusedBeforeAnyHardwareIsRead() {
        assertThatThrownBy(() -> GeneratorOptions.builder().maxCoresPerContainer(20).build()).isInstanceOf(StrataException.class)
                .hasMessage("--max-cores-per-container 20 is outside 1-19 (a container holds at most 19 role processes)");
        assertThatThrownBy(() -> GeneratorOptions.builder().computeCores(2).computeCoreIds("4-6").build()).isInstanceOf(StrataException.class)
                .hasMessage("--compute-core-ids names 3 cores (4-6) but --compute-dedicated-cores is 2");
        assertThatThrownBy(() -> GeneratorOptions.builder().spareCores(2).coreIds("4-6").build()).isInstanceOf(StrataException.class)
                .hasMessageStartingWith("--spare-cores 2 and --core-ids 4-6 exclude each other");
        assertThatThrownBy(() -> GeneratorOptions.builder().driveCores(-1).build()).isInstanceOf(StrataException.class)
                .hasMessage("--drive-dedicated-cores -1 is negative");
        assertThatThrownBy(() -> GeneratorOptions.builder().coreIds("3,3").build()).isInstanceOf(StrataException.class)
                .hasMessage("--core-ids names core 3 twice");
        assertThatThrownBy(() -> GeneratorOptions.builder().basePort(80).build()).isInstanceOf(StrataException.class)
                .hasMessage("--base-port 80 is outside 1024-65436");
        assertThatThrownBy(() -> GeneratorOptions.builder().failureDomain("rack 7").build()).isInstanceOf(StrataException.class)
                .hasMessageStartingWith("--failure-domain 'rack 7' is not valid");
        assertThatThrownBy(() -> GeneratorOptions.builder().singleContainer(20).build()).isInstanceOf(StrataException.class)
                .hasMessage("the single container takes 1-19 cores, not 20");
    }
}
