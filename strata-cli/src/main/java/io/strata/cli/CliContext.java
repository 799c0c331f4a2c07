package io.strata.cli;

import io.strata.cli.sandbox.SandboxState;
import io.strata.config.ProcessIds;
import io.strata.config.agent.AgentApi;
import io.strata.config.agent.AgentInfo;
import io.strata.config.agent.ContainerStatus;
import io.strata.protocol.auth.Credentials;
import io.strata.protocol.rpc.ControlClient;
import io.strata.protocol.rpc.NoParams;
import io.strata.runtime.ErrorCode;
import io.strata.runtime.Json;
import io.strata.runtime.StrataException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What every command needs: the server it talks to ({@code -H host[:port]}, else the running
 * sandbox's first server, else this machine), output in text or JSON, the login token of the
 * cluster it reaches, and the host agent's local key for {@code strata local} verbs.
 */
public final class CliContext {
    static final String DEFAULT_AGENT_ROOT = "/var/lib/strata/agent";

    private final String hostOption;
    private final boolean json;
    private final String agentRootOption;
    private final PrintWriter out;
    private final PrintWriter err;
    private final StrataHome home;

    public CliContext(String hostOption, boolean json, String agentRootOption, PrintWriter out, PrintWriter err, StrataHome home) {
        this.hostOption = hostOption;
        this.json = json;
        this.agentRootOption = agentRootOption;
        this.out = out;
        this.err = err;
        this.home = home;
    }

    /** The same context aimed at another server. */
    public CliContext forHost(String host) {
        return new CliContext(host, json, null, out, err, home);
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    public boolean json() {
        return json;
    }

    public StrataHome home() {
        return home;
    }

    public void printJson(Object value) {
        out.println(Json.toPrettyString(value));
        out.flush();
    }

    public Optional<SandboxState> sandbox() {
        if (!Files.exists(home.sandboxState())) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.readFile(home.sandboxState(), SandboxState.class));
        } catch (StrataException e) {
            return Optional.empty();
        }
    }

    /** The host named by -H, or the default one. */
    public String host() {
        if (hostOption != null) {
            return hostPart(hostOption);
        }
        String env = System.getenv("STRATA_HOST");
        if (env != null && !env.isBlank()) {
            return hostPart(env);
        }
        return sandbox().flatMap(s -> s.servers().stream().findFirst()).map(SandboxState.Server::address).orElse("127.0.0.1");
    }

    /** The port named by -H host:port, if any. */
    public Integer explicitPort() {
        String option = hostOption != null ? hostOption : System.getenv("STRATA_HOST");
        if (option == null) {
            return null;
        }
        int colon = option.lastIndexOf(':');
        if (colon < 0) {
            return null;
        }
        try {
            int port = Integer.parseInt(option.substring(colon + 1));
            if (port <= 0 || port > 65535) {
                throw StrataException.invalid("port %d in '%s' is out of range", port, option);
            }
            return port;
        } catch (NumberFormatException e) {
            throw StrataException.invalid("'%s' is not host[:port]", option);
        }
    }

    private static String hostPart(String option) {
        int colon = option.lastIndexOf(':');
        return colon < 0 ? option : option.substring(0, colon);
    }

    public InetSocketAddress agentAddress() {
        Integer port = explicitPort();
        return new InetSocketAddress(host(), port == null ? ProcessIds.AGENT_PORT : port);
    }

    /** An anonymous connection to the host agent. */
    public ControlClient agent() {
        return ControlClient.connect(agentAddress(), Credentials.NONE, "cli");
    }

    /** A connection to the host agent proving the local key (the host's administrator). */
    public ControlClient localAgent() {
        ControlClient client = agent();
        client.authenticate(Credentials.localKey("cli", localKey()));
        return client;
    }

    /** The host's administrator's credentials, as the agent's local key proves them. */
    public Credentials localCredentials() {
        return Credentials.localKey("cli", localKey());
    }

    private String localKey() {
        Path root = agentRoot();
        Path keyFile = root.resolve("secrets").resolve("local.key");
        try {
            return Files.readString(keyFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new StrataException(ErrorCode.PERMISSION_DENIED, "cannot read the host agent's local key " + keyFile
                    + " (" + e.getClass().getSimpleName() + "): 'strata local' verbs need root on the server, or --agent-root");
        }
    }

    private Path agentRoot() {
        if (agentRootOption != null) {
            return Path.of(agentRootOption);
        }
        String env = System.getenv("STRATA_AGENT_ROOT");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String host = host();
        return sandbox().flatMap(s -> s.serverAt(host)).map(s -> Path.of(s.root())).orElse(Path.of(DEFAULT_AGENT_ROOT));
    }

    /**
     * A connection to a management process on the host: the port given with -H, else the ports of
     * the containers the host agent reports, else the well-known base ports. With a token saved for
     * the cluster that answers, the connection is authenticated.
     */
    public ControlClient management() {
        String host = host();
        List<String> failures = new ArrayList<>();
        for (int port : managementPorts(host)) {
            ControlClient client;
            try {
                client = ControlClient.connect(new InetSocketAddress(host, port), Credentials.NONE, "cli");
            } catch (StrataException e) {
                failures.add(port + ": " + e.getMessage());
                continue;
            }
            if (!"agent".equals(serverKind(client))) {
                authenticateIfLoggedIn(client);
                return client;
            }
            client.close();
        }
        throw new StrataException(ErrorCode.UNAVAILABLE, "no management process answers on " + host
                + (failures.isEmpty() ? "" : " (tried " + String.join("; ", failures) + ")"));
    }

    /** Attempts at reading the cluster's view: each on a fresh connection from {@link #management()}. */
    private static final int VIEW_ATTEMPTS = 3;

    /**
     * The cluster as a management process on the host sees it. A read, so a connection lost
     * midway (its container restarting, as during an upgrade) is tried again on a fresh one.
     */
    public io.strata.control.service.ManagementMessages.ClusterView clusterView() {
        StrataException lost = null;
        for (int attempt = 0; attempt < VIEW_ATTEMPTS; attempt++) {
            try (ControlClient client = management()) {
                return client.call(io.strata.control.service.ManagementApi.VIEW, NoParams.INSTANCE,
                        io.strata.control.service.ManagementMessages.ClusterView.class);
            } catch (StrataException e) {
                if (e.code() != ErrorCode.UNAVAILABLE) {
                    throw e;
                }
                lost = e;
            }
        }
        throw lost;
    }

    private static String serverKind(ControlClient client) {
        String server = client.hello().server();
        return server != null && server.startsWith("agent") ? "agent" : "management";
    }

    private void authenticateIfLoggedIn(ControlClient client) {
        String token = home.token(client.hello().clusterId());
        if (token != null) {
            try {
                client.authenticate(Credentials.token(token));
            } catch (StrataException e) {
                err.println("warning: the saved login was refused (" + e.getMessage() + ")");
                err.flush();
            }
        }
    }

    private List<Integer> managementPorts(String host) {
        Integer explicit = explicitPort();
        if (explicit != null) {
            return List.of(explicit);
        }
        Set<Integer> ports = new LinkedHashSet<>();
        try (ControlClient agent = ControlClient.connect(new InetSocketAddress(host, ProcessIds.AGENT_PORT), Credentials.NONE, "cli")) {
            AgentInfo info = agent.call(AgentApi.INFO, NoParams.INSTANCE, AgentInfo.class);
            info.containers().stream().filter(ContainerStatus::ready).forEach(c -> ports.add(c.basePort()));
        } catch (StrataException e) {
            // no agent answers; fall back to the well-known ports
        }
        for (int port : ProcessIds.wellKnownManagementPorts()) {
            ports.add(port);
        }
        return new ArrayList<>(ports);
    }
}
