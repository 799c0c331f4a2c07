package io.strata.config.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A user as anyone may see it; the password hash lives in {@link ClusterSecrets}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UserEntry(String name, String role) {
}
