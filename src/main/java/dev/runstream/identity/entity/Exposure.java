package dev.runstream.identity.entity;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Who may reach a server without identity: by default only this machine, over loopback (as local
 * model servers do), so that no other machine reaches anyone's runs. {@code
 * chat.security.open=true} says the deployment is deliberately open to every network it listens on
 * (and the log says so at every start). With identity on, every network: each request proves who it
 * is.
 */
public final class Exposure {

  public static final String OPEN = "chat.security.open";

  private Exposure() {}

  /**
   * Whether a request that reached the server on {@code localAddress} (the server's own end of the
   * connection, an IP literal as the servlet container gives it) may be served.
   */
  public static boolean serves(boolean identity, boolean open, String localAddress) {
    return identity || open || loopback(localAddress);
  }

  static boolean loopback(String address) {
    if (address == null || address.isEmpty() || !isLiteral(address)) {
      return false; // never a name lookup: a server's own address is always a literal
    }
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static boolean isLiteral(String address) {
    return address
            .chars()
            .allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':' || c == '%')
        || (address.startsWith("[") && address.endsWith("]"));
  }
}
