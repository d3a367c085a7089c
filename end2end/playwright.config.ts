import { defineConfig } from '@playwright/test';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// A real server (the debug binary built by `cargo xtask test`) on its own port, with a fresh
// SQLite database and demo data in a new temporary directory for every run.
const port = Number(process.env.SWITCHBOARD_E2E_PORT ?? 39517);
const binary = process.env.SWITCHBOARD_BIN ?? path.resolve(__dirname, '../target/debug/switchboard');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-e2e-'));
// Mail leaves through the relay the test command starts, when it did.
const [smtpHost, smtpPort] = (process.env.SWITCHBOARD_TEST_SMTP ?? '').split(':');
const smtp: Record<string, string> = smtpPort
  ? {
      SWITCHBOARD_SMTP__HOST: smtpHost,
      SWITCHBOARD_SMTP__PORT: smtpPort,
      SWITCHBOARD_SMTP__SECURITY: 'none',
      SWITCHBOARD_SMTP__FROM: 'desk@desk.example',
      SWITCHBOARD_SMTP__BOUNCES_TO: 'bounces@desk.example',
    }
  : {};

// A real DNS server for the diagnostics test: Debian's dnsmasq (the test command installs
// it) on loopback, answering for `shop.test` from a zone written here.
const dnsPort = port + 1;
const dnsConf = path.join(dataDir, 'dnsmasq.conf');
fs.writeFileSync(
  dnsConf,
  [
    `port=${dnsPort}`,
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
if (!fs.existsSync('/usr/sbin/dnsmasq')) {
  throw new Error('Debian\'s dnsmasq is needed (apt-get install dnsmasq-base; `cargo xtask test` installs it)');
}
const dns = spawn('/usr/sbin/dnsmasq', ['--keep-in-foreground', `--conf-file=${dnsConf}`], { stdio: 'ignore' });
process.on('exit', () => dns.kill());

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: './test-results',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: `"${binary}" serve --demo --addr 127.0.0.1:${port} --data "${dataDir}"`,
    url: `http://127.0.0.1:${port}/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: { RUST_LOG: 'info,sqlx=warn', SWITCHBOARD_DIAGNOSTICS__RESOLVER: `127.0.0.1:${dnsPort}`, ...smtp },
  },
});
