import { defineConfig } from '@playwright/test';
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

// A real DNS server for the diagnostics test: Debian's dnsmasq on loopback, started once by
// `global-setup.ts` (on the port after the desk's).
const dnsPort = port + 1;
process.env.SWITCHBOARD_E2E_DNS_PORT = String(dnsPort);

export default defineConfig({
  testDir: './tests',
  globalSetup: './global-setup.ts',
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
