import { api, data } from "../../api/client.ts";
import { ApiFailure } from "../../api/failure.ts";

/** PUTs the bytes with XMLHttpRequest, the one browser API that reports upload progress. */
function put(url: string, file: File, onProgress: (fraction: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    xhr.setRequestHeader("content-type", "application/octet-stream");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve();
      let body: { code?: string; error?: string } = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: the status says enough
      }
      reject(
        new ApiFailure(
          xhr.status,
          body.code ?? "UNKNOWN",
          body.error ?? `The server answered ${xhr.status}.`,
        ),
      );
    };
    xhr.onerror = () =>
      reject(new ApiFailure(0, "NETWORK", "The upload was cut off; check your connection."));
    xhr.send(file);
  });
}

/**
 * The three steps of an upload (as the public API's): an upload URL for the name, the bytes,
 * then the print file record, whose metadata the server read from the G-code while it streamed.
 */
export async function uploadFile(
  orgId: string,
  file: File,
  onProgress: (fraction: number) => void,
) {
  const path = { orgId };
  const target = (
    await data(
      api.POST("/orgs/{orgId}/files/upload-url", {
        params: { path },
        body: { filename: file.name, content_type: "application/octet-stream" },
      }),
    )
  ).data;
  await put(target.upload_url, file, onProgress);
  return (
    await data(
      api.POST("/orgs/{orgId}/files", {
        params: { path },
        body: { name: file.name, storage_key: target.storage_key },
      }),
    )
  ).data;
}
