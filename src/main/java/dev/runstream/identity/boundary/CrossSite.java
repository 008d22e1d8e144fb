package dev.runstream.identity.boundary;

import jakarta.ws.rs.core.HttpHeaders;

/**
 * Whether a browser says the request comes from another origin ({@code Sec-Fetch-Site}, which every
 * current browser sends and no page can forge). Cookies authenticate a change only when it does
 * not: {@code SameSite=Strict} already keeps other sites' requests cookie-less, this also covers a
 * sibling subdomain, which is the same site but not the same origin.
 */
final class CrossSite {

  static final String HEADER = "Sec-Fetch-Site";

  private CrossSite() {}

  static boolean of(String secFetchSite) {
    return secFetchSite != null
        && !"same-origin".equals(secFetchSite)
        && !"none".equals(secFetchSite);
  }

  static boolean of(HttpHeaders headers) {
    return of(headers.getHeaderString(HEADER));
  }
}
