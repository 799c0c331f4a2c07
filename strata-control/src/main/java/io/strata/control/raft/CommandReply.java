package io.strata.control.raft;

import com.fasterxml.jackson.databind.JsonNode;

/** What the replicated state machine answers a command: its reply, or the one-line refusal. */
public record CommandReply(boolean ok, JsonNode reply, long revision, String code, String message) {
}
