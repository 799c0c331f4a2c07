package io.strata.cli.user;

import io.strata.cli.BaseCommand;
import io.strata.cli.CliContext;
import io.strata.cli.output.Table;
import io.strata.config.cluster.UserEntry;
import io.strata.control.service.ManagementApi;
import io.strata.control.service.ManagementMessages.ClusterView;
import io.strata.control.service.ManagementMessages.LoginReply;
import io.strata.control.service.ManagementMessages.LoginRequest;
import io.strata.control.service.ManagementMessages.UserRequest;
import io.strata.protocol.rpc.ControlClient;
import io.strata.runtime.StrataException;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata user ...}: log in, and manage the cluster's users. */
@Command(name = "user", description = "List users (default), log in and out, add users, change passwords.",
        subcommands = {UserCommand.Login.class, UserCommand.Logout.class, UserCommand.Add.class, UserCommand.Password.class,
            UserCommand.Remove.class})
public final class UserCommand extends BaseCommand {
    @Override
    protected void run(CliContext cli) {
        ClusterView view = cli.clusterView();
        if (cli.json()) {
            cli.printJson(view.config().users().values());
            return;
        }
        Table table = new Table("USER", "ROLE");
        for (UserEntry user : view.config().users().values()) {
            table.row(user.name(), user.role());
        }
        table.print(cli.out());
    }

    abstract static class WithPassword extends BaseCommand {
        @Option(names = "--password-file", paramLabel = "FILE", description = "Read the password from FILE.")
        Path passwordFile;

        @Option(names = "--password-stdin", description = "Read the password from standard input.")
        boolean passwordStdin;

        String password(String prompt) {
            if (passwordFile != null) {
                try {
                    return Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
                } catch (IOException e) {
                    throw StrataException.invalid("cannot read %s: %s", passwordFile, e.getMessage());
                }
            }
            if (!passwordStdin) {
                Console console = System.console();
                if (console != null) {
                    char[] typed = console.readPassword("%s", prompt);
                    if (typed == null) {
                        throw StrataException.invalid("no password given");
                    }
                    return new String(typed);
                }
            }
            try {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (line == null || line.isBlank()) {
                    throw StrataException.invalid("no password given (use --password-file FILE or --password-stdin)");
                }
                return line.strip();
            } catch (IOException e) {
                throw StrataException.invalid("cannot read the password: %s", e.getMessage());
            }
        }
    }

    @Command(name = "login", description = "Log in and keep a token (0600) for the cluster's later commands.")
    public static final class Login extends WithPassword {
        @Parameters(paramLabel = "USER", defaultValue = "admin", description = "User name (default: ${DEFAULT-VALUE}).")
        String user;

        @Override
        protected void run(CliContext cli) {
            String password = password("password for " + user + ": ");
            try (ControlClient client = cli.management()) {
                String clusterId = client.hello().clusterId();
                if (clusterId == null) {
                    throw StrataException.conflict("%s belongs to no cluster yet", cli.host());
                }
                LoginReply reply = client.call(ManagementApi.LOGIN, new LoginRequest(user, password), LoginReply.class);
                cli.home().saveToken(clusterId, reply.token());
                if (cli.json()) {
                    cli.printJson(java.util.Map.of("user", reply.user(), "role", reply.role(), "clusterId", clusterId,
                            "expiresAtMillis", reply.expiresAtMillis()));
                } else {
                    cli.out().printf("logged in as %s (%s) to cluster %s%n", reply.user(), reply.role(), clusterId);
                    cli.out().flush();
                }
            }
        }
    }

    @Command(name = "logout", description = "Forget the token of the cluster this host belongs to.")
    public static final class Logout extends BaseCommand {
        @Override
        protected void run(CliContext cli) {
            String clusterId;
            try (ControlClient client = cli.management()) {
                clusterId = client.hello().clusterId();
            }
            if (clusterId != null) {
                cli.home().saveToken(clusterId, null);
            }
            cli.out().println("logged out");
            cli.out().flush();
        }
    }

    @Command(name = "add", description = "Add a user (admin only).")
    public static final class Add extends WithPassword {
        @Parameters(paramLabel = "USER")
        String user;

        @Option(names = "--role", defaultValue = "readonly", description = "admin or readonly (default: ${DEFAULT-VALUE}).")
        String role;

        @Override
        protected void run(CliContext cli) {
            String password = password("password for the new user " + user + ": ");
            try (ControlClient client = cli.management()) {
                client.call(ManagementApi.USER_ADD, new UserRequest(user, role, password));
            }
            cli.out().printf("added user %s (%s)%n", user, role);
            cli.out().flush();
        }
    }

    @Command(name = "passwd", description = "Change a user's password (your own, or any as admin).")
    public static final class Password extends WithPassword {
        @Parameters(paramLabel = "USER")
        String user;

        @Override
        protected void run(CliContext cli) {
            String password = password("new password for " + user + ": ");
            try (ControlClient client = cli.management()) {
                client.call(ManagementApi.USER_PASSWORD, new UserRequest(user, null, password));
            }
            cli.out().printf("changed the password of %s%n", user);
            cli.out().flush();
        }
    }

    @Command(name = "remove", description = "Remove a user (admin only; not the last admin).")
    public static final class Remove extends BaseCommand {
        @Parameters(paramLabel = "USER")
        String user;

        @Override
        protected void run(CliContext cli) {
            try (ControlClient client = cli.management()) {
                client.call(ManagementApi.USER_REMOVE, new UserRequest(user, null, null));
            }
            cli.out().printf("removed user %s%n", user);
            cli.out().flush();
        }
    }
}
