package io.strata.cli.cluster;

import io.strata.cli.BaseCommand;
import io.strata.cli.CliContext;
import io.strata.runtime.StrataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata cluster ...}: the cluster as a whole. */
@Command(name = "cluster", description = "Create the cluster and manage its containers and processes.",
        subcommands = {ClusterCommand.Create.class, ContainerCommand.class, ProcessCommand.class, DriveCommand.class})
public final class ClusterCommand {

    @Command(name = "create", description = "Form a cluster from servers whose containers are set up and running.")
    public static final class Create extends BaseCommand {
        @Parameters(paramLabel = "SERVER", arity = "1..*", description = "Servers (host[:agent-port]) to form the cluster of.")
        List<String> servers;

        @Option(names = "--name", defaultValue = "strata", description = "The cluster's name (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--admin-password-file", paramLabel = "FILE",
                description = "File holding the admin user's password; without it a password is generated and saved (0600).")
        Path adminPasswordFile;

        @Option(names = "--data-drives", paramLabel = "D", description = "Data chunks per stripe, 3-16 (default: failure domains - parity - hot spare).")
        Integer dataDrives;

        @Option(names = "--parity-drives", paramLabel = "P", description = "Parity chunks per stripe, 2 or 4 (default 2).")
        Integer parityDrives;

        @Option(names = "--hot-spare", paramLabel = "N", defaultValue = "0", description = "Failure domains of capacity held back for rebuilds (default 0).")
        int hotSpare;

        @Option(names = "--buckets", paramLabel = "N", defaultValue = "" + ClusterCreator.DEFAULT_BUCKETS,
                description = "Buckets (metadata shards), fixed for the cluster's life (default ${DEFAULT-VALUE}).")
        int buckets;

        @Option(names = "--bucket-replicas", paramLabel = "N", defaultValue = "3",
                description = "Compute processes replicating each bucket, in distinct failure domains: 3 or 5 (default ${DEFAULT-VALUE}).")
        int bucketReplicas;

        @Override
        protected void run(CliContext cli) throws IOException {
            String password;
            Path generatedFile = null;
            if (adminPasswordFile != null) {
                password = readPassword(adminPasswordFile);
            } else {
                password = io.strata.protocol.auth.Hmac.newSecret(18);
                generatedFile = cli.home().root().resolve("admin-password");
            }
            ClusterCreator.Result result = ClusterCreator.create(new ClusterCreator.Request(servers, name, password, dataDrives,
                    parityDrives, hotSpare, buckets, bucketReplicas), step -> {
                        if (!cli.json()) {
                            cli.out().println(step);
                            cli.out().flush();
                        }
                    });
            cli.home().saveToken(result.clusterId(), result.token());
            if (generatedFile != null) {
                io.strata.runtime.SafeFiles.writeSecret(generatedFile, (password + "\n").getBytes(StandardCharsets.UTF_8));
            }
            if (cli.json()) {
                cli.printJson(Map.of("clusterId", result.clusterId(), "name", name, "containers", result.config().containers().size(),
                        "formedInMs", result.formedInMs()));
                return;
            }
            cli.out().printf("cluster %s (%s) formed in %.1f s; logged in as admin%n", name, result.clusterId(),
                    result.formedInMs() / 1000.0);
            if (generatedFile != null) {
                cli.out().printf("the admin password was generated and saved to %s (mode 0600)%n", generatedFile);
            }
            cli.out().flush();
        }
    }

    static String readPassword(Path file) {
        try {
            String password = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (password.isEmpty()) {
                throw StrataException.invalid("%s is empty", file);
            }
            return password;
        } catch (IOException e) {
            throw StrataException.invalid("cannot read %s: %s", file, e.getMessage());
        }
    }
}
