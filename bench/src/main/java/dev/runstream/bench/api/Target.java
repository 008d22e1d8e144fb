package dev.runstream.bench.api;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;

/** The server under test: {@code http://host:port/prefix}; the v1 paths follow the prefix. */
public record Target(String host, int port, String prefix, InetSocketAddress address) {

  public static Target parse(String baseUrl) {
    URI uri = URI.create(baseUrl);
    if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "--base-url must be http://host[:port][/prefix]: " + baseUrl);
    }
    int port = uri.getPort() == -1 ? 80 : uri.getPort();
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String prefix = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    try {
      InetAddress ip = InetAddress.getByName(uri.getHost());
      return new Target(uri.getHost(), port, prefix, new InetSocketAddress(ip, port));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("unknown host in --base-url: " + uri.getHost(), e);
    }
  }

  public String runs() {
    return prefix + "/api/v1/chat/runs";
  }

  public String run(String runId) {
    return runs() + "/" + runId;
  }

  /** What the server holds in memory now: {@code {"runs": N, "open_streams": M}}. */
  public String stats() {
    return prefix + "/api/v1/stats";
  }

  public String events(String runId) {
    return run(runId) + "/events";
  }

  public String hostHeader() {
    return port == 80 ? host : host + ":" + port;
  }

  public boolean loopback() {
    return address.getAddress().isLoopbackAddress();
  }

  public String url() {
    return "http://" + hostHeader() + prefix;
  }
}
