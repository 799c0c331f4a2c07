package io.strata.agent;

import io.strata.config.Role;
import io.strata.config.server.AgentLayout;
import io.strata.config.server.ContainerDefinition;
import io.strata.runtime.ChildProcesses;
import io.strata.runtime.SafeFiles;
import io.strata.runtime.StrataException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a container as its own JVM, from the lib folder of the release its definition names,
 * with its output appended to the container's log.
 *
 * <p><b>Which code the JIT optimizes fully.</b> Only the erasure coder's loops (and the Vector
 * API they are built on) are compiled by C2; everything else stops at C1. The rest of a container
 * is glue between syscalls, sockets and copies, where C1's code is as fast, while C2 compiling it
 * in every container JVM at once cost most of a small machine: on 2 cores running a 6-server
 * sandbox, C2 threads took 37 % of all CPU minutes after start and creates ran at half speed.
 */
final class ContainerLauncher {
    /** The compiler directives (resource of this class) every container JVM starts with. */
    static final String JIT_DIRECTIVES = "jit-directives.json";
    /** Heap of a container whose resources leave memory at "default". */
    static final long DEFAULT_HEAP_BYTES = 512L * 1024 * 1024;
    static final String MAIN_CLASS = "io.strata.container.ContainerMain";

    private final AgentLayout layout;
    private final String javaBinary;

    ContainerLauncher(AgentLayout layout, String javaBinary) {
        this.layout = layout;
        this.javaBinary = javaBinary;
    }

    static String currentJava() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    List<String> command(ContainerDefinition definition) {
        Path lib = layout.versionDir(definition.release()).resolve("lib");
        if (!Files.isDirectory(lib)) {
            throw StrataException.notFound("release %s is not installed on this server (no %s)", definition.release(), lib);
        }
        long heapBytes = definition.resources().memoryBytes() > 0 ? definition.resources().memoryBytes() : DEFAULT_HEAP_BYTES;
        List<String> command = new ArrayList<>();
        command.add(javaBinary);
        command.add("-Xms32m");
        command.add("-Xmx" + (heapBytes / (1024 * 1024)) + "m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:+UseCompactObjectHeaders");
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.add("-Xss512k");
        command.add("-XX:+UnlockDiagnosticVMOptions");
        command.add("-XX:CompilerDirectivesFile=" + jitDirectives(definition.name()));
        if (definition.resources().roles().contains(Role.DRIVE)) {
            command.add("-XX:MaxDirectMemorySize=1g");
        }
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        command.add("--add-exports");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("-Dstrata.container=" + definition.name());
        command.add("-cp");
        command.add(lib + "/*");
        command.add(MAIN_CLASS);
        command.add("--root");
        command.add(layout.root().toString());
        command.add("--container");
        command.add(definition.name());
        return command;
    }

    /** Where a container's compiler directives are written before it starts. */
    Path jitDirectives(String container) {
        return layout.containerDir(container).resolve(JIT_DIRECTIVES);
    }

    /** Writes the compiler directives next to the container's definition (the JVM refuses to start without them). */
    void writeJitDirectives(String container) throws IOException {
        try (var in = ContainerLauncher.class.getResourceAsStream(JIT_DIRECTIVES)) {
            if (in == null) {
                throw new IOException("the agent's jar lacks its resource " + JIT_DIRECTIVES);
            }
            SafeFiles.writeAtomically(jitDirectives(container), in.readAllBytes());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    Process launch(ContainerDefinition definition) {
        Path log = layout.containerLog(definition.name());
        try {
            Files.createDirectories(log.getParent());
            writeJitDirectives(definition.name());
            Files.createDirectories(layout.dataDir(definition.name()));
            ProcessBuilder builder = ChildProcesses.logged(command(definition), ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .directory(layout.containerDir(definition.name()).toFile());
            return builder.start();
        } catch (IOException e) {
            throw StrataException.unavailable("cannot start container %s: %s", definition.name(), e.getMessage());
        }
    }

    /** True when {@code process} is a container JVM of this agent root named {@code name}. */
    boolean isOurs(ProcessHandle process, String name) {
        return process.info().arguments().map(args -> {
            List<String> list = List.of(args);
            int root = list.indexOf("--root");
            int container = list.indexOf("--container");
            return root >= 0 && container >= 0 && root + 1 < list.size() && container + 1 < list.size()
                    && list.get(root + 1).equals(layout.root().toString()) && list.get(container + 1).equals(name);
        }).orElse(false);
    }
}
