package io.strata.config.agent;

import java.util.List;

/** An installed release: its wire protocol, which containers run it, and which would roll back to it. */
public record VersionEntry(String release, int protocol, boolean agent, List<String> runningIn, List<String> previousOf) {
}
