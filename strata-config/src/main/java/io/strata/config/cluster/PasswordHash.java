package io.strata.config.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A salted PBKDF2 hash of a user's password. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PasswordHash(String algorithm, int iterations, String salt, String hash) {
    @Override
    public String toString() {
        return "PasswordHash[" + algorithm + ", <hidden>]";
    }
}
