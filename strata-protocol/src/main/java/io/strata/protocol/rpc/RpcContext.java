package io.strata.protocol.rpc;

import io.strata.protocol.auth.Principal;

/** What a handler knows about the call it serves. */
public record RpcContext(Principal principal, int protocol, String peerAddress, String peerRelease, String peerKind) {
}
