package dev.runstream.bench.sse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The kernel's view of this machine's TCP sockets ({@code /proc/net/tcp} and {@code tcp6}), by
 * local IPv4 address and port: how a socket the tool never reads from can be seen to have been
 * closed by its server (its state {@code CLOSE_WAIT}, the server's FIN received) or reset (gone
 * from the table) without reading it.
 */
public final class TcpStates {

  /** {@code ESTABLISHED} in the tables. */
  public static final int ESTABLISHED = 0x01;

  /** {@code CLOSE_WAIT}: the peer closed its side, this side has not. */
  public static final int CLOSE_WAIT = 0x08;

  /** One socket: its state and the bytes waiting in its receive queue. */
  public record Entry(int state, long receiveQueue) {}

  private TcpStates() {}

  /**
   * Every socket of both tables, by {@link #key} of its two ends: a local end alone is not one
   * socket (a port of a connection in {@code TIME_WAIT} is taken again for another peer).
   */
  public static Map<String, Entry> read() {
    Map<String, Entry> all = new HashMap<>();
    for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
      try {
        all.putAll(parse(Files.readString(Path.of(table), StandardCharsets.ISO_8859_1)));
      } catch (IOException e) {
        // no such table (no IPv6): nothing of it
      }
    }
    return all;
  }

  /**
   * The IPv4 sockets of one table (IPv4-mapped ones of {@code tcp6} too), by their two ends. A
   * line: {@code sl local_address rem_address st tx_queue:rx_queue ...}, addresses in hex as the
   * kernel holds them (each 32-bit word in host order: little-endian here).
   */
  static Map<String, Entry> parse(String table) {
    Map<String, Entry> entries = new HashMap<>();
    for (String line : table.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 5 || !f[0].endsWith(":") || f[1].indexOf(':') < 0) {
        continue; // the header
      }
      String local = ipv4(f[1]);
      String remote = ipv4(f[2]);
      if (local != null && remote != null) {
        long queue = Long.parseLong(f[4].substring(f[4].indexOf(':') + 1), 16);
        entries.put(local + " " + remote, new Entry(Integer.parseInt(f[3], 16), queue));
      }
    }
    return entries;
  }

  /** {@code "a.b.c.d:port"} of a table's address, or null when it is plain IPv6. */
  static String ipv4(String hex) {
    String[] parts = hex.split(":");
    String address = parts[0];
    if (address.length() == 32) {
      if (!address.startsWith("0000000000000000FFFF0000")) {
        return null;
      }
      address = address.substring(24);
    }
    long word = Long.parseLong(address, 16);
    return (word & 0xff)
        + "."
        + ((word >> 8) & 0xff)
        + "."
        + ((word >> 16) & 0xff)
        + "."
        + ((word >> 24) & 0xff)
        + ":"
        + Integer.parseInt(parts[1], 16);
  }

  /** The key of a connected socket in {@link #read}'s map: {@code "a.b.c.d:port e.f.g.h:port"}. */
  public static String key(java.net.Socket socket) {
    return socket.getLocalAddress().getHostAddress()
        + ":"
        + socket.getLocalPort()
        + " "
        + socket.getInetAddress().getHostAddress()
        + ":"
        + socket.getPort();
  }
}
