package dev.runstream.bench.server;

import dev.runstream.bench.sse.IoLoop;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU used over a window, in cores (1.0 = one core busy the whole time): the server (when its PID
 * is known), this client and its busiest I/O thread, the whole machine, and what is left for
 * everything else on it (other builds, say).
 */
public final class CpuMeter {

  private final ServerProbe server;
  private final List<IoLoop> loops;
  private final long wall;
  private final long serverCpu;
  private final long clientCpu;
  private final long[] loopCpu;
  private final long[] machine;

  public CpuMeter(ServerProbe server, List<IoLoop> loops) {
    this.server = server;
    this.loops = loops;
    this.wall = System.nanoTime();
    this.serverCpu = server == null ? 0 : server.cpuNanos();
    this.clientCpu = clientCpu();
    this.loopCpu = loops.stream().mapToLong(IoLoop::cpuNanos).toArray();
    this.machine = Machine.cpuTicks();
  }

  /** The CPU used since this meter was made. */
  public Map<String, Object> since(long eventsDelivered) {
    double seconds = (System.nanoTime() - wall) / 1e9;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("window_seconds", round(seconds));
    double serverCores = Double.NaN;
    if (server != null && server.alive()) {
      double serverSeconds = (server.cpuNanos() - serverCpu) / 1e9;
      serverCores = serverSeconds / seconds;
      m.put("server_cpu_seconds", round(serverSeconds));
      m.put("server_cores", round(serverCores));
      if (eventsDelivered > 0) {
        m.put("server_cpu_ms_per_1000_events", round(serverSeconds * 1e6 / eventsDelivered));
      }
    }
    double clientSeconds = (clientCpu() - clientCpu) / 1e9;
    m.put("client_cpu_seconds", round(clientSeconds));
    m.put("client_cores", round(clientSeconds / seconds));
    double busiest = 0;
    for (int i = 0; i < loops.size(); i++) {
      busiest = Math.max(busiest, (loops.get(i).cpuNanos() - loopCpu[i]) / 1e9 / seconds);
    }
    m.put("client_busiest_io_thread_cores", round(busiest));
    if (eventsDelivered > 0) {
      m.put("client_cpu_ms_per_1000_events", round(clientSeconds * 1e6 / eventsDelivered));
    }
    long[] now = Machine.cpuTicks();
    double machineCores = (now[0] - machine[0]) / (double) Machine.CLOCK_TICKS / seconds;
    m.put("machine_busy_cores", round(machineCores));
    if (!Double.isNaN(serverCores)) {
      m.put("other_processes_cores", round(machineCores - serverCores - clientSeconds / seconds));
    }
    return m;
  }

  private static long clientCpu() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return 0;
  }

  public static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
