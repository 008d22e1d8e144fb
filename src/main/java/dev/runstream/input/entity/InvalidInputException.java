package dev.runstream.input.entity;

import java.util.List;

/** The request is malformed or breaks a rule of the contract; every violation is listed. */
public class InvalidInputException extends RuntimeException {

  private final transient List<Violation> violations;

  public InvalidInputException(List<Violation> violations) {
    super(violations.isEmpty() ? "invalid input" : violations.get(0).detail());
    this.violations = List.copyOf(violations);
  }

  public InvalidInputException(String pointer, String detail) {
    this(List.of(new Violation(pointer, detail)));
  }

  public List<Violation> violations() {
    return violations;
  }
}
