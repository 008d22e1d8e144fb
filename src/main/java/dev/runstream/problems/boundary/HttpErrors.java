package dev.runstream.problems.boundary;

/** What the plain HTTP errors mean to a client, in the problems' {@code detail}. */
final class HttpErrors {

  private HttpErrors() {}

  static String detail(int status) {
    return switch (status) {
      case 400 -> "The server could not read this request.";
      case 404 -> "There is nothing at this address.";
      case 405 -> "This address does not take this method.";
      case 406 -> "This address cannot answer with any media type the Accept header allows.";
      case 413 -> "The request is too large.";
      case 414 -> "The request's address is too long.";
      case 415 -> "Send the body as application/json (Content-Type: application/json).";
      case 431 -> "The request's headers are too large.";
      default ->
          status >= 500 ? "The server could not answer this request." : "The request was refused.";
    };
  }
}
