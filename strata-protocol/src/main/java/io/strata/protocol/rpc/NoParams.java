package io.strata.protocol.rpc;

/** For methods that take nothing. */
public record NoParams() {
    public static final NoParams INSTANCE = new NoParams();
}
