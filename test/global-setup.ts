import { dropTestDatabases, prepareTemplateDatabase } from "@apf/db/testing";
import { runMigrations } from "graphile-worker";

/** Builds this run's migrated template database once (graphile-worker's schema included); every test file copies it. */
export async function setup() {
  const url = process.env.APF_TEST_DATABASE_URL;
  if (url) {
    await prepareTemplateDatabase(url, (template) => runMigrations({ connectionString: template }));
  }
  return async () => {
    if (url) await dropTestDatabases(url);
  };
}
