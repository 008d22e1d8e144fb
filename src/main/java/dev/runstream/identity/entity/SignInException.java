package dev.runstream.identity.entity;

/**
 * A sign-in that cannot go on, with a reason a page can show; the provider's own words (and any
 * token) stay out of it.
 */
public class SignInException extends RuntimeException {

  /** Why, as a code for the page and a sentence of our own. */
  public enum Reason {
    PROVIDER_UNREACHABLE("provider_unreachable", "The identity provider cannot be reached."),
    REFUSED("refused", "The identity provider refused the sign-in."),
    EXPIRED("expired", "The sign-in took too long or was started elsewhere; sign in again."),
    TOKEN_NOT_ACCEPTED(
        "token_not_accepted", "The identity provider's token does not pass this server's checks.");

    private final String code;
    private final String detail;

    Reason(String code, String detail) {
      this.code = code;
      this.detail = detail;
    }

    public String code() {
      return code;
    }

    public String detail() {
      return detail;
    }
  }

  private final Reason reason;

  public SignInException(Reason reason, Throwable cause) {
    super(reason.detail(), cause, false, false);
    this.reason = reason;
  }

  public SignInException(Reason reason) {
    this(reason, null);
  }

  public Reason reason() {
    return reason;
  }
}
