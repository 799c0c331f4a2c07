package io.strata.config.agent;

/** {@code strata version ...} and {@code strata local rollback}: an archive to install, a release, a container. */
public record VersionRequest(String archive, String release, String container, boolean restart) {
}
