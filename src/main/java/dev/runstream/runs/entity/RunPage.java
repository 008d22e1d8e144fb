package dev.runstream.runs.entity;

import java.util.List;

/** One page of runs, newest first, and whether older ones follow. */
public record RunPage(List<Run> data, boolean hasMore) {}
