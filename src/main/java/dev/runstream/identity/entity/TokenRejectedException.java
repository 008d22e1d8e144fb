package dev.runstream.identity.entity;

/** A bearer token that does not pass, and why, in words that never quote the token. */
public class TokenRejectedException extends RuntimeException {

  /** Why a token was refused; each with the sentence a client is told. */
  public enum Reason {
    MALFORMED("The bearer token is not a signed JWT this server can read."),
    UNSIGNED("The bearer token is not signed (alg none is refused)."),
    UNSUPPORTED_ALGORITHM(
        "The bearer token is signed with an algorithm this server does not accept."),
    BAD_SIGNATURE("The bearer token's signature does not verify with the configured keys."),
    EXPIRED("The bearer token has expired."),
    NO_EXPIRY("The bearer token has no expiry time (exp)."),
    NOT_YET_VALID("The bearer token is not valid yet (nbf or iat is in the future)."),
    WRONG_ISSUER("The bearer token was issued by an issuer this server does not trust."),
    WRONG_AUDIENCE("The bearer token is not meant for this service (aud)."),
    NO_SUBJECT("The bearer token names no subject (sub, upn or preferred_username)."),
    NOT_A_PRODUCER("The bearer token is neither a JWT nor the producer token of a run."),
    KEYS_UNAVAILABLE("The keys to verify the bearer token could not be fetched; try again.");

    private final String detail;

    Reason(String detail) {
      this.detail = detail;
    }

    public String detail() {
      return detail;
    }
  }

  private final Reason reason;

  public TokenRejectedException(Reason reason) {
    this(reason, null);
  }

  public TokenRejectedException(Reason reason, Throwable cause) {
    super(reason.detail(), cause, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
