package dev.runstream.runs.entity;

import java.util.List;

/** One page of stored runs, newest first, and whether older ones follow. */
public record StoredPage(List<StoredRun> data, boolean hasMore) {}
