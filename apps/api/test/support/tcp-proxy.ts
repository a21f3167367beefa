import net from "node:net";

/**
 * A TCP proxy of the test's own in front of a shared service (Postgres), which the test can cut
 * (connections reset, new ones refused) or hang (connections accepted, nothing forwarded) and
 * restore, without touching the service itself.
 */
export class TcpProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private mode: "forward" | "hang" = "forward";

  private constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const probe = net.createServer();
    const port = await new Promise<number>((resolve, reject) => {
      probe.once("error", reject);
      probe.listen(0, "127.0.0.1", () => resolve((probe.address() as net.AddressInfo).port));
    });
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const proxy = new TcpProxy(port, target);
    await proxy.listen();
    return proxy;
  }

  /** `url` with its host and port pointed at this proxy. */
  rewrite(url: string): string {
    const u = new URL(url);
    u.hostname = "127.0.0.1";
    u.port = String(this.port);
    return u.toString();
  }

  private track(socket: net.Socket) {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  }

  private async listen(): Promise<void> {
    if (this.server) return;
    const server = net.createServer((client) => {
      this.track(client);
      if (this.mode === "hang") return; // accepted, never answered
      const upstream = net.connect(this.target);
      this.track(upstream);
      client.pipe(upstream);
      upstream.pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
  }

  private dropAll() {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  /** Resets every connection and refuses new ones: the service is unreachable. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.dropAll();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Keeps connections open but forwards nothing, old or new: the service hangs. */
  hang(): void {
    this.mode = "hang";
    for (const socket of this.sockets) {
      socket.unpipe();
      socket.pause();
    }
  }

  /** Forwards again (existing hung connections are dropped, so clients reconnect). */
  async restore(): Promise<void> {
    if (this.mode === "hang") this.dropAll();
    this.mode = "forward";
    await this.listen();
  }

  async close(): Promise<void> {
    await this.cut();
  }
}
