import { spawn } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Whether a DNS server answers on 127.0.0.1:`port` (a query for `shop.test`, A). */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const name = Buffer.from([4, ...Buffer.from('shop'), 4, ...Buffer.from('test'), 0]);
    const query = Buffer.concat([Buffer.from([0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]), name, Buffer.from([0, 1, 0, 1])]);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.close();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 300);
    socket.on('message', () => done(true));
    socket.on('error', () => done(false));
    socket.send(query, port, '127.0.0.1');
  });
}

/** Starts Debian's dnsmasq (the test command installs it) answering for `shop.test` from a
 *  zone written here, for the diagnostics test; stops it when the run ends. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const port = Number(process.env.SWITCHBOARD_E2E_DNS_PORT);
  if (!fs.existsSync('/usr/sbin/dnsmasq')) {
    throw new Error("Debian's dnsmasq is needed (apt-get install dnsmasq-base; `cargo xtask test` installs it)");
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-e2e-dns-'));
  const conf = path.join(dir, 'dnsmasq.conf');
  fs.writeFileSync(
    conf,
    [
      `port=${port}`,
      'listen-address=127.0.0.1',
      'bind-interfaces',
      'no-resolv',
      'no-hosts',
      'auth-server=ns1.shop.test,127.0.0.1',
      'auth-zone=shop.test',
      'host-record=shop.test,192.0.2.10,2001:db8::10',
      'mx-host=shop.test,mail.shop.test,10',
      'txt-record=shop.test,"v=spf1 -all"',
      '',
    ].join('\n'),
  );
  const dns = spawn('/usr/sbin/dnsmasq', ['--keep-in-foreground', `--conf-file=${conf}`], { stdio: 'ignore' });
  for (let tries = 0; !(await answers(port)); tries++) {
    if (tries === 30) throw new Error(`dnsmasq does not answer on 127.0.0.1:${port}`);
  }
  return async () => {
    dns.kill();
  };
}
