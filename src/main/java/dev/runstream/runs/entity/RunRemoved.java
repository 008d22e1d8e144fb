package dev.runstream.runs.entity;

/** A CDI event: the run is gone from the registry (deleted or expired). */
public record RunRemoved(String runId) {}
