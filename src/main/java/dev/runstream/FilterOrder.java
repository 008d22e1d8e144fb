package dev.runstream;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import java.util.Arrays;
import java.util.EnumSet;

/**
 * Servlet filters whose place in the chain matters, added on every path where the Servlet spec
 * defines their place: ahead of, or behind, every declared filter. (The order of filters declared
 * by annotation is not defined, and differs between servers.) Called from a listener's {@code
 * contextInitialized}.
 */
public final class FilterOrder {

  private FilterOrder() {}

  /** {@code filter} first, for requests dispatched as {@code dispatch} (none: requests only). */
  public static void ahead(
      ServletContext context, Class<? extends Filter> filter, DispatcherType... dispatch) {
    add(context, filter, false, dispatch);
  }

  /** {@code filter} last, for requests dispatched as {@code dispatch} (none: requests only). */
  public static void behind(
      ServletContext context, Class<? extends Filter> filter, DispatcherType... dispatch) {
    add(context, filter, true, dispatch);
  }

  private static void add(
      ServletContext context,
      Class<? extends Filter> filter,
      boolean behind,
      DispatcherType... dispatch) {
    FilterRegistration.Dynamic registration = context.addFilter(filter.getName(), filter);
    registration.setAsyncSupported(true);
    registration.addMappingForUrlPatterns(
        dispatch.length == 0 ? null : EnumSet.copyOf(Arrays.asList(dispatch)), behind, "/*");
  }
}
