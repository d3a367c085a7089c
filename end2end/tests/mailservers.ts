import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { expect, test } from '@playwright/test';

/** The real mail servers `cargo xtask test` starts on loopback: OpenSMTPD, which files what
 *  it delivers into Dovecot's Maildirs (Dovecot serves them over IMAP). */
export interface MailServers {
  smtp: { host: string; port: number };
  imapPort: number;
  maildir: string;
}

/** The servers from the environment; without them the test is skipped, saying so — unless
 *  the test command or CI requires them, when it fails. */
export function mailServers(): MailServers {
  const smtp = process.env.SWITCHBOARD_TEST_SMTP;
  const imap = process.env.SWITCHBOARD_TEST_IMAP;
  const maildir = process.env.SWITCHBOARD_TEST_MAILDIR;
  const required = Boolean(process.env.SWITCHBOARD_TEST_MAIL_REQUIRED || process.env.CI);
  if (!smtp || !imap || !maildir) {
    expect(required, 'the mail servers are required: run `cargo xtask test`').toBe(false);
    test.skip(true, 'no mail servers (SWITCHBOARD_TEST_SMTP); `cargo xtask test` starts them');
  }
  const [host, port] = smtp!.split(':');
  return { smtp: { host, port: Number(port) }, imapPort: Number(imap!.split(':')[1]), maildir: maildir! };
}

/** Sends `lines` as a mail from `from` to `to` through the relay, as a mail program would. */
export async function sendMail(servers: MailServers, from: string, to: string, lines: string[]): Promise<void> {
  const socket = net.connect(servers.smtp.port, servers.smtp.host);
  let buffered = '';
  const waiting: Array<(line: string) => void> = [];
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    let end;
    while ((end = buffered.indexOf('\r\n')) >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      // Only a reply's last line (`250 ok`, not `250-…`) completes it.
      if (line[3] !== '-') waiting.shift()?.(line);
    }
  });
  const answer = () => new Promise<string>((resolve) => waiting.push(resolve));
  const say = async (line: string, expected: string) => {
    const reply = answer();
    socket.write(`${line}\r\n`);
    expect(await reply).toMatch(new RegExp(`^${expected}`));
  };
  expect(await answer()).toMatch(/^220/);
  await say('EHLO example.org', '250');
  await say(`MAIL FROM:<${from}>`, '250');
  await say(`RCPT TO:<${to}>`, '250');
  await say('DATA', '354');
  const data = lines.map((l) => (l.startsWith('.') ? `.${l}` : l)).join('\r\n');
  await say(`${data}\r\n.`, '250');
  await say('QUIT', '221');
  socket.end();
}

/** Waits for the first mail filed for `address`; its raw text. */
export async function firstMailFor(servers: MailServers, address: string): Promise<string> {
  const [local, domain] = address.toLowerCase().split('@');
  const dir = path.join(servers.maildir, domain, local.split('+')[0], 'new');
  let found = '';
  await expect
    .poll(() => {
      const files = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
      found = files.length > 0 ? fs.readFileSync(path.join(dir, files[0]), 'utf8') : '';
      return found.length;
    }, { timeout: 20_000 })
    .toBeGreaterThan(0);
  return found;
}

/** A header's value in a raw mail (folded lines joined). */
export function header(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}
