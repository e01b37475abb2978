package dev.traced.internal.transport;

/** The status and body of an Agent answer. */
public record AgentResponse(int status, byte[] body) {
}
