package dev.runstream.runs.control;

import dev.runstream.input.entity.Body;
import dev.runstream.input.entity.InvalidInputException;
import dev.runstream.runs.entity.IdempotencyKey;

/** The {@code Idempotency-Key} header of a write, with the fingerprint of its body. */
public final class IdempotencyKeys {

  public static final String HEADER = "Idempotency-Key";

  /** Tells a client that an answer is the one given to an earlier request with its key. */
  public static final String REPLAYED = "Idempotent-Replayed";

  static final int LONGEST = 255;

  private IdempotencyKeys() {}

  /** Null without the header; 1 to 255 printable ASCII characters, else invalid. */
  public static IdempotencyKey of(String header, Body body) {
    if (header == null) {
      return null;
    }
    if (header.isEmpty()
        || header.length() > LONGEST
        || !header.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new InvalidInputException(
          HEADER, "Must be 1 to " + LONGEST + " printable ASCII characters, without spaces.");
    }
    return new IdempotencyKey(header, body.sha256());
  }
}
