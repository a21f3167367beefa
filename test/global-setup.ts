import { dropTestDatabases, prepareTemplateDatabase } from "@apf/db/testing";

/** Builds this run's migrated template database once; every test file copies it. */
export async function setup() {
  const url = process.env.APF_TEST_DATABASE_URL;
  if (url) await prepareTemplateDatabase(url);
  return async () => {
    if (url) await dropTestDatabases(url);
  };
}
