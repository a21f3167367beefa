import { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { assertStoreKey, type FileStore } from "./store.ts";

/** Where an S3-compatible store is: `s3://bucket/prefix?endpoint=…&region=…`. */
export interface S3Location {
  bucket: string;
  /** Prepended to every key ("" or ending in "/"). */
  prefix: string;
  endpoint?: string;
  region?: string;
}

/** Parts of a multipart upload: 8 MiB, at most two in flight, so an upload holds ≤ ~16 MiB. */
const PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 2;

function notFound(error: unknown): boolean {
  const e = error as { name?: unknown; $metadata?: { httpStatusCode?: number } };
  return e.name === "NoSuchKey" || e.name === "NotFound" || e.$metadata?.httpStatusCode === 404;
}

/**
 * A store in an S3-compatible bucket (AWS S3, MinIO, Cloudflare R2, Ceph). Credentials come from
 * the SDK's usual chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, profiles, instance roles).
 * With an endpoint, buckets are addressed by path (what MinIO and most others expect). Checksums
 * are computed only where an operation requires them: several S3-compatible servers refuse the
 * newer default trailing checksums.
 */
export function createS3Store(location: S3Location): FileStore {
  const client = new S3Client({
    ...(location.region ? { region: location.region } : {}),
    ...(location.endpoint ? { endpoint: location.endpoint, forcePathStyle: true } : {}),
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  const Bucket = location.bucket;
  const keyOf = (key: string) => {
    assertStoreKey(key);
    return `${location.prefix}${key}`;
  };
  return {
    kind: "s3",
    description: `s3://${location.bucket}/${location.prefix}${location.endpoint ? ` at ${location.endpoint}` : ""}`,
    async put(key, body, options = {}) {
      const Key = keyOf(key);
      // Multipart above one part; a body that fails aborts the upload and leaves no parts.
      const upload = new Upload({
        client,
        params: {
          Bucket,
          Key,
          Body: body,
          ContentType: options.contentType ?? "application/octet-stream",
        },
        partSize: PART_SIZE,
        queueSize: QUEUE_SIZE,
        leavePartsOnError: false,
      });
      await upload.done();
    },
    async get(key) {
      try {
        const answer = await client.send(new GetObjectCommand({ Bucket, Key: keyOf(key) }));
        const stream = answer.Body;
        if (!(stream instanceof Readable)) throw new Error("S3 answered without a body stream");
        return { sizeBytes: answer.ContentLength ?? 0, body: stream };
      } catch (error) {
        if (notFound(error)) return null;
        throw error;
      }
    },
    async head(key) {
      try {
        const answer = await client.send(new HeadObjectCommand({ Bucket, Key: keyOf(key) }));
        return { sizeBytes: answer.ContentLength ?? 0 };
      } catch (error) {
        if (notFound(error)) return null;
        throw error;
      }
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: keyOf(key) }));
    },
    async close() {
      client.destroy();
    },
  };
}
