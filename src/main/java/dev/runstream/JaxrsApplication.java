package dev.runstream;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The HTTP API lives under {@code /api/v1}; everything else in the WAR is static content. */
@ApplicationPath("api/v1")
public class JaxrsApplication extends Application {}
