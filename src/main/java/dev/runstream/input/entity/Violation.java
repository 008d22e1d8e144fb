package dev.runstream.input.entity;

/**
 * One thing wrong with a request: where ({@code pointer}: a JSON Pointer into the body such as
 * {@code /messages/0/role}, or a parameter name such as {@code limit}) and what.
 */
public record Violation(String pointer, String detail) {}
