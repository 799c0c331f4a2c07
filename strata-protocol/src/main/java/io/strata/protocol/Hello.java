package io.strata.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The first frame of every connection: who is calling and which protocols it speaks.
 * A release speaks its own protocol and the one before it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Hello(String magic, int minProtocol, int maxProtocol, String release, String peer) {
    public static final String MAGIC = "strata";
}
