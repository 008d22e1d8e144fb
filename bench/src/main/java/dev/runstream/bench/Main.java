package dev.runstream.bench;

import dev.runstream.bench.report.AppendsReport;
import dev.runstream.bench.report.CostReport;
import dev.runstream.bench.report.FanOutReport;
import dev.runstream.bench.report.Json;
import dev.runstream.bench.report.RunsReport;
import dev.runstream.bench.report.StoredReport;
import dev.runstream.bench.scenario.Appends;
import dev.runstream.bench.scenario.Cost;
import dev.runstream.bench.scenario.FanOut;
import dev.runstream.bench.scenario.Hostile;
import dev.runstream.bench.scenario.ManyRuns;
import dev.runstream.bench.scenario.Stored;
import dev.runstream.bench.server.Machine;
import dev.runstream.bench.server.ManagedServer;
import dev.runstream.bench.server.StoreFlags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The load tool: {@code bench/run SCENARIO [options]}. Prints a table per scenario, and writes
 * {@code result.json}, {@code table.md} and PNG charts to one folder per invocation.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.print(Options.USAGE);
      System.exit(2);
      return;
    }
    String stamp =
        LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path dir =
        options.out.resolve(options.label != null ? options.label : stamp + "-" + options.scenario);
    Files.createDirectories(dir);

    Map<String, Object> result = new LinkedHashMap<>();
    result.put("tool", "runstream-bench 1");
    result.put("scenario", options.scenario);
    result.put("started_at", LocalDateTime.now(ZoneOffset.UTC) + "Z");
    result.put("arguments", Arrays.stream(args).map(StoreFlags::redact).toList());
    result.put("options", options.given());
    result.put("machine", Machine.describe());
    StringBuilder tables = new StringBuilder();
    try (Bench bench = new Bench(options, dir)) {
      result.put("target", bench.target().url());
      result.put("client", client(options));
      if (options.scenario.equals("cost") || options.scenario.equals("all")) {
        Map<String, Object> cost = new Cost(bench).run();
        result.put("cost", cost);
        tables.append(CostReport.tables(cost, dir));
        write(dir, result, tables);
      }
      if (options.scenario.equals("fanout") || options.scenario.equals("all")) {
        List<Map<String, Object>> steps = new ArrayList<>();
        FanOut fanOut = new FanOut(bench);
        for (int[] nRate : options.subscribers) {
          Map<String, Object> step = fanOut.step(nRate[0], nRate[1]);
          steps.add(step);
          System.out.print(FanOutReport.table(List.of(step)));
          result.put("fanout", FanOutReport.summary(steps));
          write(dir, result, tables);
        }
        bench.stopServer();
        tables.append(FanOutReport.table(steps));
        FanOutReport.charts(steps, dir);
      }
      if (options.scenario.equals("runs") || options.scenario.equals("all")) {
        List<Map<String, Object>> steps = new ArrayList<>();
        ManyRuns manyRuns = new ManyRuns(bench);
        for (int m : options.runs) {
          Map<String, Object> step = manyRuns.step(m);
          steps.add(step);
          System.out.print(RunsReport.table(List.of(step)));
          result.put("runs", Map.of("steps", steps));
          write(dir, result, tables);
        }
        bench.stopServer();
        tables.append(RunsReport.table(steps));
        RunsReport.chart(steps, dir);
      }
      if (options.scenario.equals("appends")) {
        Map<String, Object> appends = new Appends(bench).run();
        result.put("appends", appends);
        tables.append(AppendsReport.tables(appends));
        AppendsReport.chart(appends, dir);
      }
      if (options.scenario.equals("hostile")) {
        result.put("hostile", new Hostile(bench).run());
      }
      if (options.scenario.equals("stored")) {
        Map<String, Object> stored = new Stored(bench).run();
        result.put("stored", stored);
        tables.append(StoredReport.tables(stored));
      }
      if (options.managed()) {
        Map<String, Object> server = new LinkedHashMap<>();
        List<String> command =
            ManagedServer.command(options, "PORT", dir.resolve("STEP/store/runstream"));
        server.put("command", StoreFlags.redact(String.join(" ", command)));
        server.put("startup_ms", bench.startups());
        result.put("server", server);
      }
    }
    result.put("finished_at", LocalDateTime.now(ZoneOffset.UTC) + "Z");
    result.put("load_after", Machine.loadAverage());
    write(dir, result, tables);
    System.out.println();
    System.out.print(tables);
    System.out.println("results: " + dir.toAbsolutePath());
  }

  private static Map<String, Object> client(Options o) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("io_threads", o.ioThreads);
    c.put("source_addresses", o.sourceAddresses);
    c.put("connect_rate_per_s", o.connectRate);
    c.put("jvm", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
    return c;
  }

  private static void write(Path dir, Map<String, Object> result, CharSequence tables)
      throws java.io.IOException {
    Files.writeString(dir.resolve("result.json"), Json.write(result));
    Files.writeString(dir.resolve("table.md"), tables);
  }
}
