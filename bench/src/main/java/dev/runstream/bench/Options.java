package dev.runstream.bench;

import dev.runstream.bench.server.StoreFlags;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The command line: {@code SCENARIO [--name value | --flag]...}; see {@link #USAGE}. */
public final class Options {

  static final String USAGE =
      """
      usage: bench/run SCENARIO [options]

      scenarios
        fanout   one external run, N subscribers, a producer posting ~200-byte events at a rate
        runs     M concurrent echo runs with 1-2 subscribers each
        cost     server memory at 0..N idle streams, startup time
        appends  N external runs, P producers posting events as fast as they are acknowledged
        stored   the server's heap and restart time with N ended runs in its store
        hostile  issue 14's attackers in a loop beside one healthy client (docs/benchmarks.md)
        all      cost, then fanout, then runs

      server (default: the tool starts the WAR on Payara Micro and measures it from outside)
        --base-url URL        drive a server that is already running (client-side figures only)
        --server-pid PID      with --base-url: a local server's PID, for its CPU and memory
        --port 8083           port of the server the tool starts
        --server-jar target/payara-micro.jar   --war target/runstream.war
        --server-preboot src/main/payara/preboot.asadmin   the server settings the run command
                              uses (loopback listener, header size, write queue per connection)
        --server-opts "..."   JVM and -Dchat.* options of the started server (default: raised
                              stream limits, see docs/benchmarks.md)
        --no-restart          one server for every step (default: a fresh one per step)
        --server-warmup 10    seconds of load on a fresh server before it is measured
        --profile             a JFR recording of each step's measured window, summarised
        --store-url JDBC-URL  keep the runs in that database (PostgreSQL), used as it is; the
                              password comes from CHAT_STORE_PASSWORD in the environment
        --store-user USER     its user
                              (default: the embedded H2, in fresh files per step,
                              OUT/LABEL/STEP/store/, deleted when the step ends)
        --keep-store          keep each step's H2 files

      client
        --io-threads 2        selector threads reading the streams
        --source-addresses 8  loopback source addresses 127.0.0.1..n (past ~28k ports each)
        --connect-rate 2000   new streams per second
        --out target/bench    results folder: one sub-folder per invocation
        --label NAME          name of that sub-folder (default: date-scenario)

      fanout
        --subscribers 1000@50,1000@1,5000@1,10000@1   steps N or N@RATE (RATE defaults to --rate)
        --rate 50 (events/s)   --duration 30 (s)
        --warmup 5 (s, left out of latency)   --event-bytes 200   --drain 120 (s)
        --reference           each step also against the Node.js reference server
                              (node bench/reference/server.js PORT, started by the tool, the
                              service stopped meanwhile); every figure with its ratio to it
        --reference-port P    its port (default --port + 1)   --node node   (its binary)
        --storm               open all N streams at the same moment (no --connect-rate pacing,
                              no cap on streams waiting); counts silent streams (200, then
                              nothing until the drain deadline)
        --stuck N             N clients that never read (4 KiB receive buffer) on another run
                              with a large history, open through the step; each step also runs
                              without them, and the healthy latency is compared
        --stuck-events 2000   --stuck-event-bytes 2048   (that run's history)

      runs
        --runs 100,500,1000,2000   --subs-per-run 1-2 (1, 2, or 1-2 alternating)
        --words 20   --token-delay-ms 50   --create-threads 8

      cost
        --streams 10000 (largest count of idle streams)   --points 4   --startups 3
        --close-wait 40 (s after the clients close, before memory is read again)

      appends
        --runs 100 (external runs)   --producers 100 (connections, each posting to run i % runs)
        --duration 30 (s measured)   --warmup 5 (s of posting before it)   --event-bytes 200
        --batch 1 (events per request, 1 to 1000: more than 1 posts {"events": [...]} batches)
        --check-runs 0 (runs whose history is streamed and checked afterwards; 0: all)
        --create-threads 8 (connections creating and ending the runs)   --drain 120 (s, check)

      hostile
        --hostile 200 (attacking clients, five ways in turn)   --duration 30 (s)

      stored
        --stored 100000 (ended runs to fill the store with)   --fill-connections 16
        --samples 100 (calls per read measured: a GET of an old run, a list page)
      """;

  /** The most events the server takes in one batch. */
  static final int MOST_BATCH = 1000;

  private static final List<String> FLAGS =
      List.of("no-restart", "profile", "keep-store", "reference", "storm");

  static final List<String> DEFAULT_SERVER_OPTS =
      List.of("-Dchat.limits.subscribers-per-run=1000000", "-Dchat.limits.streams-total=1000000");

  final String scenario;
  String baseUrl;
  long serverPid;
  public int port = 8083;
  public Path serverJar = Path.of("target/payara-micro.jar");
  public Path serverPreboot = Path.of("src/main/payara/preboot.asadmin");
  public Path war = Path.of("target/runstream.war");
  public List<String> serverOpts = DEFAULT_SERVER_OPTS;
  public Path serverTmp = Path.of("target/bench-tmp");
  boolean restart = true;
  public boolean profile;
  public int startupTimeout = 180;
  int serverWarmup = 10;

  int ioThreads = 2;
  int sourceAddresses = 8;
  int connectRate = 2000;
  public int connectTimeout = 60;
  Path out = Path.of("target/bench");
  String label;

  /** Fan-out steps: {N, events per second}. */
  List<int[]> subscribers;

  private String subscriberSteps = "1000@50,1000@1,5000@1,10000@1";
  int rate = 50;
  public int duration = 30;

  /** Attacking clients of the {@code hostile} scenario. */
  public int hostile = 200;

  public int warmup = 5;
  public int eventBytes = 200;
  public int drain = 120;

  /** Each fan-out step also against the Node.js reference server. */
  public boolean reference;

  public int referencePort;
  public String node = "node";
  public Path referenceScript = Path.of("bench/reference/server.js");

  /** All streams of a fan-out step opened at the same moment. */
  public boolean storm;

  /** Clients that never read, beside the measured ones. */
  public int stuck;

  public int stuckEvents = 2000;
  public int stuckEventBytes = 2048;

  List<Integer> runs = List.of(100, 500, 1000, 2000);
  public String subsPerRun = "1-2";
  public int words = 20;
  public int tokenDelayMs = 50;
  public int createThreads = 8;

  public int streams = 10000;
  public int points = 4;
  public int startups = 3;
  public int closeWait = 40;

  public String storeUrl;
  public String storeUser;
  public boolean keepStore;

  private int appendRuns = 100;
  public int producers = 100;
  public int checkRuns;

  /** Events per request of the {@code appends} scenario: 1, or a batch of up to 1000. */
  public int batch = 1;

  public int stored = 100_000;
  public int fillConnections = 16;
  public int samples = 100;

  private final Map<String, String> given = new LinkedHashMap<>();

  private Options(String scenario) {
    this.scenario = scenario;
  }

  static Options parse(String[] args) {
    if (args.length == 0 || args[0].startsWith("-")) {
      throw new IllegalArgumentException("name a scenario first");
    }
    Options o = new Options(args[0]);
    if (!List.of("fanout", "runs", "cost", "appends", "stored", "hostile", "all")
        .contains(o.scenario)) {
      throw new IllegalArgumentException("unknown scenario " + o.scenario);
    }
    int i0 = 1;
    for (int i = i0; i < args.length; i++) {
      String name = args[i];
      if (!name.startsWith("--")) {
        throw new IllegalArgumentException("expected --option, got " + name);
      }
      name = name.substring(2);
      if (FLAGS.contains(name)) {
        o.given.put(name, "true");
        o.flag(name);
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("--" + name + " needs a value");
      }
      String value = args[++i];
      o.given.put(name, StoreFlags.redact(value));
      o.set(name, value);
    }
    o.subscribers = o.steps(o.subscriberSteps);
    if (o.scenario.equals("appends") && o.given.containsKey("runs")) {
      if (o.runs.size() != 1) {
        throw new IllegalArgumentException("appends takes one number of runs: --runs N");
      }
      o.appendRuns = o.runs.get(0);
    }
    if (!o.given.containsKey("reference-port")) {
      o.referencePort = o.port + 1;
    }
    if (o.stuck < 0) {
      throw new IllegalArgumentException("--stuck takes a number of clients, 0 or more");
    }
    if (o.batch < 1 || o.batch > MOST_BATCH) {
      throw new IllegalArgumentException("--batch takes 1 to " + MOST_BATCH + " events a request");
    }
    return o;
  }

  /** The runs of the {@code appends} scenario ({@code --runs}, default 100). */
  public int appendRuns() {
    return appendRuns;
  }

  /** Seconds of load on a fresh server before it is measured ({@code --server-warmup}). */
  public int serverWarmup() {
    return serverWarmup;
  }

  /**
   * The server options this scenario needs beside {@link #serverOpts}. {@code stored} keeps ended
   * runs for a week: a long fill must not see its first runs swept away while it measures.
   */
  public List<String> scenarioServerOpts() {
    return scenario.equals("stored") ? List.of("-Dchat.retention.minutes=10080") : List.of();
  }

  private List<int[]> steps(String v) {
    List<int[]> steps = new ArrayList<>();
    for (String step : v.split(",")) {
      String[] parts = step.trim().split("@");
      int n = Integer.parseInt(parts[0].trim());
      steps.add(new int[] {n, parts.length > 1 ? Integer.parseInt(parts[1].trim()) : rate});
    }
    return steps;
  }

  private void flag(String name) {
    switch (name) {
      case "no-restart" -> restart = false;
      case "keep-store" -> keepStore = true;
      case "reference" -> reference = true;
      case "storm" -> storm = true;
      default -> profile = true;
    }
  }

  private void set(String name, String v) {
    switch (name) {
      case "base-url" -> baseUrl = v;
      case "server-pid" -> serverPid = Long.parseLong(v);
      case "port" -> port = Integer.parseInt(v);
      case "server-jar" -> serverJar = Path.of(v);
      case "server-preboot" -> serverPreboot = Path.of(v);
      case "war" -> war = Path.of(v);
      case "server-opts" -> serverOpts = split(v);
      case "server-tmp" -> serverTmp = Path.of(v);
      case "startup-timeout" -> startupTimeout = Integer.parseInt(v);
      case "server-warmup" -> serverWarmup = Integer.parseInt(v);
      case "io-threads" -> ioThreads = Integer.parseInt(v);
      case "source-addresses" -> sourceAddresses = Integer.parseInt(v);
      case "connect-rate" -> connectRate = Integer.parseInt(v);
      case "connect-timeout" -> connectTimeout = Integer.parseInt(v);
      case "out" -> out = Path.of(v);
      case "label" -> label = v;
      case "subscribers" -> subscriberSteps = v;
      case "rate" -> rate = Integer.parseInt(v);
      case "duration" -> duration = Integer.parseInt(v);
      case "hostile" -> hostile = Integer.parseInt(v);
      case "warmup" -> warmup = Integer.parseInt(v);
      case "event-bytes" -> eventBytes = Integer.parseInt(v);
      case "drain" -> drain = Integer.parseInt(v);
      case "reference-port" -> referencePort = Integer.parseInt(v);
      case "node" -> node = v;
      case "reference-script" -> referenceScript = Path.of(v);
      case "stuck" -> stuck = Integer.parseInt(v);
      case "stuck-events" -> stuckEvents = Integer.parseInt(v);
      case "stuck-event-bytes" -> stuckEventBytes = Integer.parseInt(v);
      case "runs" -> runs = ints(v);
      case "subs-per-run" -> subsPerRun = v;
      case "words" -> words = Integer.parseInt(v);
      case "token-delay-ms" -> tokenDelayMs = Integer.parseInt(v);
      case "create-threads" -> createThreads = Integer.parseInt(v);
      case "streams" -> streams = Integer.parseInt(v);
      case "points" -> points = Integer.parseInt(v);
      case "startups" -> startups = Integer.parseInt(v);
      case "close-wait" -> closeWait = Integer.parseInt(v);
      case "store-url" -> storeUrl = v;
      case "store-user" -> storeUser = v;
      case "producers" -> producers = Integer.parseInt(v);
      case "check-runs" -> checkRuns = Integer.parseInt(v);
      case "batch" -> batch = Integer.parseInt(v);
      case "stored" -> stored = Integer.parseInt(v);
      case "fill-connections" -> fillConnections = Integer.parseInt(v);
      case "samples" -> samples = Integer.parseInt(v);
      default -> throw new IllegalArgumentException("unknown option --" + name);
    }
  }

  public boolean managed() {
    return baseUrl == null;
  }

  /** Subscribers of the i-th run of the {@code runs} scenario. */
  public int subscribersOfRun(int i) {
    return switch (subsPerRun) {
      case "1" -> 1;
      case "2" -> 2;
      default -> 1 + (i % 2);
    };
  }

  Map<String, String> given() {
    return given;
  }

  private static List<Integer> ints(String v) {
    return Arrays.stream(v.split(",")).map(String::trim).map(Integer::parseInt).toList();
  }

  private static List<String> split(String v) {
    List<String> parts = new ArrayList<>();
    for (String p : v.trim().split("\\s+")) {
      if (!p.isEmpty()) {
        parts.add(p);
      }
    }
    return parts;
  }
}
