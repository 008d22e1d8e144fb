package dev.runstream.testing;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Samples the threads of this JVM for ones that wait (parked, or in {@code Object.wait}) inside a
 * given method: a thread blocked on something it should never wait for shows here. Each sample is
 * one snapshot of every stack, judged by the stack itself (a thread's state is read at another
 * moment and may belong to another frame). Remembers the first waiting stack it saw.
 */
public final class WaitingThreads {

  private final String className;
  private final Set<String> methods;
  private long seen;
  private String first = "";

  /** Threads waiting inside {@code methods} of the class whose name ends with {@code className}. */
  public WaitingThreads(String className, String... methods) {
    this.className = className;
    this.methods = Set.of(methods);
  }

  /** Takes one sample; tells whether it found a waiting thread. */
  public synchronized boolean sample() {
    var waiting = Thread.getAllStackTraces().values().stream().filter(this::waitsInside).toList();
    if (!waiting.isEmpty() && seen == 0) {
      first =
          Arrays.stream(waiting.get(0))
              .limit(40)
              .map(frame -> "\n  at " + frame)
              .collect(Collectors.joining());
    }
    seen += waiting.size();
    return !waiting.isEmpty();
  }

  /** Waiting threads counted over all samples. */
  public synchronized long seen() {
    return seen;
  }

  /** The first waiting stack seen, for a failure's message. */
  public synchronized String firstStack() {
    return first;
  }

  private boolean waitsInside(StackTraceElement[] stack) {
    return parked(stack)
        && Arrays.stream(stack)
            .anyMatch(
                frame ->
                    frame.getClassName().endsWith(className)
                        && methods.contains(frame.getMethodName()));
  }

  private static boolean parked(StackTraceElement[] stack) {
    if (stack.length == 0) {
      return false;
    }
    StackTraceElement top = stack[0];
    return (top.getClassName().equals("jdk.internal.misc.Unsafe")
            && top.getMethodName().equals("park"))
        || (top.getClassName().equals("java.lang.Object")
            && top.getMethodName().startsWith("wait"));
  }
}
