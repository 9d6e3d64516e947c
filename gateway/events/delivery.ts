/**
 * Sends one event to one subscription, in the subscription's format. Resolves
 * when the destination took it (a 2xx, or the SMTP relay accepting the
 * message); rejects with the reason otherwise. Never retries: the outbox does.
 */
import type { Transporter } from "nodemailer";
import { request } from "undici";
import type { SmtpConfig } from "../config.js";
import { plainText, slackBody, subjectOf } from "./alert-text.js";
import { redfishEvent, type ShoalEvent } from "./event-record.js";
import { EVENT_ID_HEADER, SIGNATURE_HEADER, sign } from "./signature.js";
import type { Subscription } from "./subscriptions.js";

export type Deliver = (sub: Subscription, event: ShoalEvent) => Promise<void>;

export interface DeliveryOptions {
  smtp: SmtpConfig | null;
  /** Per attempt; default 10 s. */
  timeoutMs?: number;
}

/** `mailto:a@x.org,b@y.org` -> the addresses. */
export function mailRecipients(destination: string): string[] {
  return decodeURIComponent(destination.replace(/^mailto:/i, "").split("?")[0] ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

export class Delivery {
  private mailer: Promise<Transporter> | null = null;
  private readonly timeoutMs: number;

  constructor(private readonly options: DeliveryOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  readonly deliver: Deliver = (sub, event) => (sub.format === "Email" ? this.email(sub, event) : this.post(sub, event));

  close(): void {
    void this.mailer?.then((mailer) => mailer.close(), () => undefined);
    this.mailer = null;
  }

  private async post(sub: Subscription, event: ShoalEvent): Promise<void> {
    const body = JSON.stringify(sub.format === "Slack" ? slackBody(event) : redfishEvent(event, sub.context));
    const headers: Record<string, string> = { ...sub.httpHeaders, "content-type": "application/json", [EVENT_ID_HEADER]: event.id, "user-agent": "Shoal" };
    if (sub.signingSecret !== null) headers[SIGNATURE_HEADER] = sign(sub.signingSecret, event.id, body);
    const res = await request(sub.destination, {
      method: "POST",
      headers,
      body,
      signal: AbortSignal.timeout(this.timeoutMs),
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
    await res.body.dump();
    if (res.statusCode < 200 || res.statusCode >= 300) throw new Error(`the destination answered HTTP ${res.statusCode}`);
  }

  private async email(sub: Subscription, event: ShoalEvent): Promise<void> {
    const smtp = this.options.smtp;
    if (!smtp) throw new Error("no SMTP relay is configured (SMTP_HOST)");
    // nodemailer (about 60 modules) loads with the first e-mail, not with every gateway.
    this.mailer ??= import("nodemailer").then(({ createTransport }) =>
      createTransport({
        host: smtp.host,
        port: smtp.port,
        secure: smtp.secure,
        ...(smtp.user !== null ? { auth: { user: smtp.user, pass: smtp.password ?? "" } } : {}),
        connectionTimeout: this.timeoutMs,
        greetingTimeout: this.timeoutMs,
        socketTimeout: this.timeoutMs,
      }),
    );
    const mailer = await this.mailer;
    await mailer.sendMail({
      from: smtp.from,
      to: mailRecipients(sub.destination),
      subject: subjectOf(event),
      text: plainText(event),
      headers: { [EVENT_ID_HEADER]: event.id },
    });
  }
}
