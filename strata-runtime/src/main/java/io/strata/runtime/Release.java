package io.strata.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The release this build is, and the wire protocol it speaks. Written into the jar by the build
 * ({@code -Dstrata.release=... -Dstrata.protocol=...}), so two builds of the same source can be
 * two adjacent releases.
 */
public record Release(String version, int protocol) {
    /** Every release also speaks the protocol of the release before it. */
    public int minProtocol() {
        return Math.max(1, protocol - 1);
    }

    private static final Release CURRENT = load();

    public static Release current() {
        return CURRENT;
    }

    private static Release load() {
        try (InputStream in = Release.class.getResourceAsStream("release.properties")) {
            if (in == null) {
                throw new IllegalStateException("release.properties missing from the strata-runtime jar");
            }
            Properties properties = new Properties();
            properties.load(in);
            return new Release(properties.getProperty("release"), Integer.parseInt(properties.getProperty("protocol")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
