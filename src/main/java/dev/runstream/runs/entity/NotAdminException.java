package dev.runstream.runs.entity;

/** A call only administrators may make, made by someone else. */
public class NotAdminException extends RuntimeException {

  public NotAdminException() {
    super("only administrators may make this call");
  }
}
