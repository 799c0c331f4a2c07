package io.strata.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.config.Role;
import io.strata.config.resources.ProcessSlot;
import io.strata.config.resources.ResourceFile;
import io.strata.config.server.AgentLayout;
import io.strata.config.server.ContainerDefinition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerLauncherTest {
    @TempDir
    Path root;

    private ContainerDefinition definition(String name, Role role) {
        ResourceFile resources = new ResourceFile(ResourceFile.FORMAT, name, "server1", "server1", 14300, 0, List.of(), List.of(),
                List.of(ProcessSlot.management(14300), ProcessSlot.role(1, role, 1, true, 14300)), List.of());
        return new ContainerDefinition(name, "0.1.0", null, ContainerDefinition.DesiredState.RUNNING, "backoff", resources, null,
                resources, List.of(), 7);
    }

    @Test
    void aContainerJvmStartsWithTheCompilerDirectivesWrittenBesideIt() throws IOException {
        AgentLayout layout = new AgentLayout(root);
        Files.createDirectories(layout.versionDir("0.1.0").resolve("lib"));
        ContainerLauncher launcher = new ContainerLauncher(layout, ContainerLauncher.currentJava());
        Files.createDirectories(layout.containerDir("compute0"));

        launcher.writeJitDirectives("compute0");
        List<String> command = launcher.command(definition("compute0", Role.COMPUTE));

        Path directives = layout.containerDir("compute0").resolve(ContainerLauncher.JIT_DIRECTIVES);
        assertThat(directives).exists();
        assertThat(command).containsSubsequence("-XX:+UnlockDiagnosticVMOptions", "-XX:CompilerDirectivesFile=" + directives,
                ContainerLauncher.MAIN_CLASS);
        assertThat(layout.containerDir("compute0")).isDirectoryNotContaining(p -> p.getFileName().toString().contains(".tmp"));
    }

    /** The JVM refuses to start on a directives file it cannot parse, so the shipped one is tried on the real JVM. */
    @Test
    void theJvmAcceptsTheDirectivesAndKeepsTheFullCompilerForTheErasureCoderOnly() throws Exception {
        AgentLayout layout = new AgentLayout(root);
        Files.createDirectories(layout.containerDir("drives0"));
        ContainerLauncher launcher = new ContainerLauncher(layout, ContainerLauncher.currentJava());
        launcher.writeJitDirectives("drives0");

        Run shipped = java("-XX:+UnlockDiagnosticVMOptions", "-XX:CompilerDirectivesFile="
                + layout.containerDir("drives0").resolve(ContainerLauncher.JIT_DIRECTIVES), "-XX:+CompilerDirectivesPrint", "-version");
        assertThat(shipped.exitCode()).as(shipped.output()).isZero();
        assertThat(shipped.output()).contains("io/strata/erasure/*.*", "jdk/incubator/vector/*.*");

        Path broken = root.resolve("broken.json");
        Files.writeString(broken, "[ { match: \"*.*\", c2: { Exclude: tru } } ]");
        Run refused = java("-XX:+UnlockDiagnosticVMOptions", "-XX:CompilerDirectivesFile=" + broken, "-version");
        assertThat(refused.exitCode()).as("a broken file stops the JVM, so the check above means something").isNotZero();
    }

    private record Run(int exitCode, String output) {
    }

    private static Run java(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(ContainerLauncher.currentJava()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
