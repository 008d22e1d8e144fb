package dev.runstream.bench.report;

import java.util.List;
import java.util.Map;

/** Writes maps, lists, strings, numbers and booleans as indented JSON; NaN becomes null. */
public final class Json {

  private Json() {}

  public static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value, "");
    return out.append('\n').toString();
  }

  private static void write(StringBuilder out, Object value, String indent) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Map<?, ?> map) {
      object(out, map, indent);
    } else if (value instanceof List<?> list) {
      array(out, list, indent);
    } else if (value instanceof long[] longs) {
      array(out, java.util.Arrays.stream(longs).boxed().toList(), indent);
    } else if (value instanceof Double d) {
      out.append(d.isNaN() || d.isInfinite() ? "null" : number(d));
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else {
      string(out, value.toString());
    }
  }

  private static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  private static void object(StringBuilder out, Map<?, ?> map, String indent) {
    if (map.isEmpty()) {
      out.append("{}");
      return;
    }
    String inner = indent + "  ";
    out.append("{\n");
    int i = 0;
    for (Map.Entry<?, ?> e : map.entrySet()) {
      out.append(inner);
      string(out, String.valueOf(e.getKey()));
      out.append(": ");
      write(out, e.getValue(), inner);
      out.append(++i < map.size() ? ",\n" : "\n");
    }
    out.append(indent).append('}');
  }

  private static void array(StringBuilder out, List<?> list, String indent) {
    if (list.isEmpty()) {
      out.append("[]");
      return;
    }
    boolean flat = list.stream().allMatch(v -> v == null || v instanceof Number);
    if (flat) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        write(out, list.get(i), indent);
        out.append(i + 1 < list.size() ? ", " : "");
      }
      out.append(']');
      return;
    }
    String inner = indent + "  ";
    out.append("[\n");
    for (int i = 0; i < list.size(); i++) {
      out.append(inner);
      write(out, list.get(i), inner);
      out.append(i + 1 < list.size() ? ",\n" : "\n");
    }
    out.append(indent).append(']');
  }

  private static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
