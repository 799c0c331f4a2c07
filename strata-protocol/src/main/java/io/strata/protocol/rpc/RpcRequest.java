package io.strata.protocol.rpc;

import com.fasterxml.jackson.databind.JsonNode;

/** The payload of a REQUEST frame. */
public record RpcRequest(String method, JsonNode params) {
}
