// The mail port (SPEC §14): what the core needs to send a message, in its own words. The SMTP
// adapter (src/mail/smtp.ts, on nodemailer) implements it; core tests hand in a fake. Settings are
// the core's (settings.ts): the adapter is told where and as whom to send with every message.

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Where and as whom mail goes: the settings in force (mailServerOf). */
export interface MailServer {
  /** An smtp:// or smtps:// URL, user and password included when it has them. */
  url: string;
  /** The sender: an address, or `Name <address>`. */
  from: string;
  /** Where the URL comes from, for messages: ROLLCALL_SMTP_URL, or the workspace's smtp-url. */
  source: 'ROLLCALL_SMTP_URL' | 'workspace';
}

export interface MailReceipt {
  /** The server's answer to the message, e.g. `250 2.0.0 Ok: queued as 4FZ…`. */
  response: string;
  accepted: string[];
  rejected: string[];
}

export interface Mailer {
  /**
   * Sends one message, or throws MAIL_UNAVAILABLE saying why (the server's answer, where it gave
   * one), never a password.
   */
  send(server: MailServer, message: MailMessage): Promise<MailReceipt>;
}

/** Mail settings from outside the workspace (the environment): they win over the workspace's own. */
export interface MailOverrides {
  smtpUrl?: string;
  mailFrom?: string;
}

/** What a workspace sends mail with: the adapter, and the settings given from outside. */
export interface MailAccess {
  mailer: Mailer;
  overrides: MailOverrides;
}
