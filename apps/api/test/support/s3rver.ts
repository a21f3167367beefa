import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import S3rver from "s3rver";

/** A real S3-protocol server (s3rver) on a random port with a fresh bucket in a temp folder. */
export async function startS3rver(bucket = "apf-files") {
  const directory = await mkdtemp(join(tmpdir(), "apf-s3rver-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const address = await server.run();
  // s3rver accepts any key pair signed correctly; these are its documented defaults.
  process.env.AWS_ACCESS_KEY_ID ??= "S3RVER";
  process.env.AWS_SECRET_ACCESS_KEY ??= "S3RVER";
  return {
    bucket,
    endpoint: `http://127.0.0.1:${address.port}`,
    url: (prefix = "apf") => `s3://${bucket}/${prefix}?endpoint=http://127.0.0.1:${address.port}`,
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
