package dev.runstream.store.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The schema, versioned: Flyway applies the migrations in {@code db/migration} that the database
 * has not had yet, before the store serves anything. A new release adds a migration; it never edits
 * one that has shipped.
 */
@ApplicationScoped
public class Migrations {

  private static final Logger LOG = Logger.getLogger(Migrations.class.getName());

  void apply(DataSource dataSource) {
    ClassLoader classes = Migrations.class.getClassLoader();
    MigrateResult result =
        Flyway.configure(classes)
            .dataSource(dataSource)
            .locations("classpath:db/migration")
            .load()
            .migrate();
    LOG.info(
        "store schema at version "
            + (result.targetSchemaVersion == null
                ? result.initialSchemaVersion
                : result.targetSchemaVersion)
            + " ("
            + result.migrationsExecuted
            + " migrations applied now)");
  }
}
