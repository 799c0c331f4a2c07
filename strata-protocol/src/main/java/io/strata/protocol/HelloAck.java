package io.strata.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer to {@link Hello}: the protocol this connection will speak, a fresh nonce for
 * challenge-response authentication, and who answered.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HelloAck(int protocol, String release, String nonce, String server, String clusterId) {
}
