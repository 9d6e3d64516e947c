/**
 * One connection of its own that LISTENs on the cluster's channels and hands
 * each notification on. A lost connection is made again after a pause; what
 * was announced meanwhile is missed, so the owner is told (onReconnect) and
 * reads again what it depends on.
 */
import pg from "pg";
import type { Logger } from "../../scheduler/logger.js";

export interface ListenerOptions {
  connectionString: string;
  channels: string[];
  onNotice(channel: string, payload: string | undefined): void;
  onReconnect(): void;
  logger: Logger;
}

const RECONNECT_DELAY_MS = 1000;

export class Listener {
  private client: pg.Client | undefined;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(private readonly options: ListenerOptions) {}

  /** Resolves once listening; a failure of the first connection is thrown. */
  async open(): Promise<void> {
    await this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.connectionString, application_name: "shoal cluster listener" });
    client.on("notification", (n) => this.options.onNotice(n.channel, n.payload));
    client.on("error", (error) => this.lost(client, error));
    client.on("end", () => this.lost(client, new Error("connection ended")));
    await client.connect();
    for (const channel of this.options.channels) await client.query(`LISTEN "${channel.replaceAll('"', '""')}"`);
    this.client = client;
  }

  private lost(client: pg.Client, error: unknown): void {
    if (this.closed || this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    this.options.logger.warn("cluster: lost the notification connection; reconnecting", { error: String(error) });
    const again = (): void => {
      this.retry = undefined;
      if (this.closed) return;
      this.connect().then(
        () => this.options.onReconnect(),
        () => (this.retry = setTimeout(again, RECONNECT_DELAY_MS)),
      );
    };
    this.retry = setTimeout(again, RECONNECT_DELAY_MS);
  }
}
