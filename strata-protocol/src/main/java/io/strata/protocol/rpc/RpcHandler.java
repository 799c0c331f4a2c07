package io.strata.protocol.rpc;

/** Serves one method. The result is encoded as JSON; a {@code StrataException} becomes an error reply. */
@FunctionalInterface
public interface RpcHandler<P> {
    Object handle(RpcContext context, P params) throws Exception;
}
