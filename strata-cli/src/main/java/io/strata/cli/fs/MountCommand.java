package io.strata.cli.fs;

import io.strata.cli.BaseCommand;
import io.strata.cli.CliContext;
import io.strata.config.Role;
import io.strata.config.agent.AgentApi;
import io.strata.config.agent.AgentInfo;
import io.strata.config.agent.ContainerStatus;
import io.strata.control.service.ManagementApi;
import io.strata.control.service.ManagementMessages.MountInfo;
import io.strata.control.service.ManagementMessages.MountRequest;
import io.strata.protocol.auth.Credentials;
import io.strata.protocol.rpc.ControlClient;
import io.strata.protocol.rpc.NoParams;
import io.strata.runtime.StrataException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code strata mount <fs> <mountpoint>}: mount a filesystem on this server through its frontend container. */
@Command(name = "mount", description = "Mount a filesystem at a folder of this server (served by its frontend container).")
public final class MountCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "FILESYSTEM")
    String filesystem;

    @Parameters(index = "1", paramLabel = "MOUNTPOINT")
    Path mountpoint;

    @Override
    protected void run(CliContext cli) {
        MountInfo info = mount(cli, filesystem, mountpoint);
        if (cli.json()) {
            cli.printJson(info);
        } else {
            cli.out().printf("mounted %s at %s%n", info.filesystem(), info.mountpoint());
            cli.out().flush();
        }
    }

    /** Mounts {@code filesystem} at {@code mountpoint} through the frontend container of the server {@code cli} aims at. */
    public static MountInfo mount(CliContext cli, String filesystem, Path mountpoint) {
        try (ControlClient frontend = frontendContainer(cli)) {
            return frontend.call(ManagementApi.FS_MOUNT, new MountRequest(filesystem,
                    mountpoint.toAbsolutePath().normalize().toString()), MountInfo.class);
        }
    }

    /** Unmounts whatever the frontend container of the server {@code cli} aims at serves at {@code mountpoint}. */
    public static MountInfo unmount(CliContext cli, Path mountpoint) {
        try (ControlClient frontend = frontendContainer(cli)) {
            return frontend.call(ManagementApi.FS_UNMOUNT, new MountRequest(null,
                    mountpoint.toAbsolutePath().normalize().toString()), MountInfo.class);
        }
    }

    /** The management process of this server's frontend container, proven with the host's local key. */
    static ControlClient frontendContainer(CliContext cli) {
        AgentInfo info;
        try (ControlClient agent = cli.agent()) {
            info = agent.call(AgentApi.INFO, NoParams.INSTANCE, AgentInfo.class);
        }
        ContainerStatus frontend = info.containers().stream()
                .filter(c -> c.resources().roles().contains(Role.FRONTEND)).findFirst()
                .orElseThrow(() -> StrataException.notFound("%s has no frontend container", info.server().hostname()));
        if (!frontend.ready()) {
            throw StrataException.unavailable("the frontend container %s on %s is %s", frontend.name(), info.server().hostname(),
                    frontend.state());
        }
        ControlClient client = ControlClient.connect(new InetSocketAddress(info.server().address(), frontend.basePort()),
                Credentials.NONE, "cli");
        try (ControlClient local = cli.localAgent()) {
            // proving the local key to the agent first gives a clear error when it cannot be read
        }
        client.authenticate(cli.localCredentials());
        return client;
    }

    @Command(name = "umount", description = "Unmount a filesystem from a folder of this server.")
    public static final class Umount extends BaseCommand {
        @Parameters(paramLabel = "MOUNTPOINT")
        Path mountpoint;

        @Override
        protected void run(CliContext cli) {
            MountInfo info = unmount(cli, mountpoint);
            cli.out().printf("unmounted %s from %s%n", info.filesystem(), info.mountpoint());
            cli.out().flush();
        }
    }
}
