package io.strata.protocol.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.strata.runtime.ErrorCode;
import io.strata.runtime.Json;
import io.strata.runtime.StrataException;
import io.strata.protocol.auth.Tokens;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** The methods a server offers, each with its parameter type and who may call it. */
public final class RpcRegistry {
    private record Entry<P>(Class<P> paramsType, Access access, RpcHandler<P> handler) {
    }

    private final Map<String, Entry<?>> methods = new ConcurrentHashMap<>();

    public <P> RpcRegistry register(String method, Class<P> paramsType, Access access, RpcHandler<P> handler) {
        if (methods.putIfAbsent(method, new Entry<>(paramsType, access, handler)) != null) {
            throw new IllegalStateException("method " + method + " registered twice");
        }
        return this;
    }

    public boolean has(String method) {
        return methods.containsKey(method);
    }

    public JsonNode dispatch(RpcContext context, RpcRequest request) throws Exception {
        Entry<?> entry = methods.get(request.method());
        if (entry == null) {
            throw new StrataException(ErrorCode.NOT_FOUND, "unknown method '" + request.method()
                    + "' (this server offers " + new TreeSet<>(methods.keySet()).size() + " methods)");
        }
        return invoke(entry, context, request.params());
    }

    private static <P> JsonNode invoke(Entry<P> entry, RpcContext context, JsonNode params) throws Exception {
        if (!entry.access().allows(context.principal())) {
            if (!context.principal().isAuthenticated()) {
                throw Tokens.notLoggedIn("this change needs credentials");
            }
            throw new StrataException(ErrorCode.PERMISSION_DENIED, context.principal().name() + " may not do this ("
                    + entry.access().name().toLowerCase(java.util.Locale.ROOT) + " only)");
        }
        JsonNode source = params == null || params.isNull() ? Json.mapper().createObjectNode() : params;
        P decoded = Json.fromTree(source, entry.paramsType());
        Object result = entry.handler().handle(context, decoded);
        return result == null ? NullNode.getInstance() : Json.toTree(result);
    }
}
