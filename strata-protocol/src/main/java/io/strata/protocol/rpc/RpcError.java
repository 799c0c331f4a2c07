package io.strata.protocol.rpc;

/** The payload of an ERROR frame: an {@link io.strata.runtime.ErrorCode} name and one line. */
public record RpcError(String code, String message) {
}
