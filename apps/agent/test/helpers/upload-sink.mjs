// An HTTP server that takes any upload whole and answers OctoPrint's "started" (201,
// effectivePrint true); tells its parent its port. For tests that measure the sender alone.
import { createServer } from "node:http";

const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(201, { "content-type": "application/json" });
    res.end(JSON.stringify({ done: true, effectivePrint: true }));
  });
});
server.listen(0, "127.0.0.1", () => process.send?.(server.address().port));
