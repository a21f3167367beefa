// The limit each bench row is compared with: a bare node:http server, in a child process of its
// own like the API, doing only the unavoidable part of the row's work. A GET answers the bytes
// the parent last sent it (the API's own answer to that row, headers that shape it included); a
// POST is read whole and JSON.parsed, as any server must before it can act on a report.
import { createServer } from "node:http";

interface Canned {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

let canned: Canned = { status: 204, headers: {}, body: Buffer.alloc(0) };

const server = createServer((req, res) => {
  if (req.method === "POST") {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const report = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { machines: unknown[] };
      const body = JSON.stringify({ success: true, data: { machines: report.machines.length } });
      res.writeHead(202, {
        "content-type": "application/json; charset=utf-8",
        "content-length": Buffer.byteLength(body),
      });
      res.end(body);
    });
    return;
  }
  req.resume();
  res.writeHead(canned.status, { ...canned.headers, "content-length": canned.body.byteLength });
  res.end(canned.body);
});

process.on(
  "message",
  (message: { status: number; headers: Record<string, string>; body: string }) => {
    canned = { ...message, body: Buffer.from(message.body, "base64") };
    process.send?.("ok");
  },
);

server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.send?.({ port: typeof address === "object" && address ? address.port : 0 });
});
