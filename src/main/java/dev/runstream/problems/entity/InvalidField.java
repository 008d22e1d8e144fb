package dev.runstream.problems.entity;

/**
 * One entry of a problem's {@code errors}: where a request is wrong ({@code pointer}: a JSON
 * Pointer into the body, or a parameter's name) and what is wrong there.
 */
public record InvalidField(String pointer, String detail) {}
