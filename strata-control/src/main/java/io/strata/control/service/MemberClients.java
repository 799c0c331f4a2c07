package io.strata.control.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.config.cluster.MemberEndpoint;
import io.strata.protocol.auth.Credentials;
import io.strata.protocol.rpc.ControlClient;
import io.strata.runtime.ErrorCode;
import io.strata.runtime.StrataException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * Connections from one management process (or agent) to the members that keep the configuration,
 * authenticated with the join secret. Idle connections are kept per member and reused; a call
 * goes to the member that answered last and moves on to the others when it cannot be reached.
 * Errors the member itself answers (a refusal) are not retried elsewhere.
 */
public final class MemberClients implements AutoCloseable {
    private static final int MAX_IDLE_PER_MEMBER = 4;

    private final Supplier<List<MemberEndpoint>> endpoints;
    private final Supplier<Credentials> credentials;
    private final String peerKind;
    private final Map<String, Queue<ControlClient>> idle = new ConcurrentHashMap<>();
    private volatile String preferred;

    public MemberClients(Supplier<List<MemberEndpoint>> endpoints, Supplier<Credentials> credentials, String peerKind) {
        this.endpoints = endpoints;
        this.credentials = credentials;
        this.peerKind = peerKind;
    }

    private static String key(MemberEndpoint endpoint) {
        return endpoint.address() + ":" + endpoint.port();
    }

    /** Calls {@code method} on some member; throws UNAVAILABLE only when no member could be reached. */
    public JsonNode callAny(String method, Object params, int timeoutMs) {
        List<MemberEndpoint> ordered = new ArrayList<>(endpoints.get());
        if (ordered.isEmpty()) {
            throw StrataException.unavailable("no member of the control plane is known yet");
        }
        String first = preferred;
        ordered.sort((a, b) -> Boolean.compare(!key(a).equals(first), !key(b).equals(first)));
        List<String> failures = new ArrayList<>();
        for (MemberEndpoint endpoint : ordered) {
            try {
                JsonNode result = call(endpoint, method, params, timeoutMs);
                preferred = key(endpoint);
                return result;
            } catch (StrataException e) {
                if (e.code() != ErrorCode.UNAVAILABLE && e.code() != ErrorCode.TIMEOUT) {
                    throw e;
                }
                failures.add(key(endpoint) + " (" + e.getMessage() + ")");
            }
        }
        throw StrataException.unavailable("no member of the control plane answered %s: %s", method, String.join("; ", failures));
    }

    /** Calls one given member. */
    public JsonNode call(MemberEndpoint endpoint, String method, Object params, int timeoutMs) {
        Queue<ControlClient> pool = idle.computeIfAbsent(key(endpoint), k -> new ConcurrentLinkedQueue<>());
        ControlClient client = pool.poll();
        while (client != null && !client.isOpen()) {
            client = pool.poll();
        }
        if (client == null) {
            client = ControlClient.connect(new InetSocketAddress(endpoint.address(), endpoint.port()), credentials.get(), peerKind);
        }
        JsonNode result;
        try {
            result = client.call(method, params, timeoutMs);
        } catch (StrataException e) {
            if (client.isOpen() && pool.size() < MAX_IDLE_PER_MEMBER) {
                pool.add(client);
            } else {
                client.close();
            }
            throw e;
        }
        if (pool.size() < MAX_IDLE_PER_MEMBER) {
            pool.add(client);
        } else {
            client.close();
        }
        return result;
    }

    /** Drops every idle connection, for example after the join secret changed. */
    public void reset() {
        idle.values().forEach(pool -> {
            ControlClient client;
            while ((client = pool.poll()) != null) {
                client.close();
            }
        });
    }

    @Override
    public void close() {
        reset();
    }
}
