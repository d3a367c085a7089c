import { expect, WebSocketRoute } from '@playwright/test';
import { messages, reply, signIn, waitLive, test } from './helpers';

// The member's network is controlled by routing her page's socket through the test:
// 'pass' forwards frames both ways, 'stall' swallows them (a dead network the browser has not
// noticed yet), 'refuse' closes every new connection at once (no network at all).
test('what a member writes while the network is down is sent once it returns, and nothing is lost or doubled', async ({ browser }) => {
  const operator = await signIn(browser, 'ivan@desk.example');
  const token = Date.now().toString(36);
  const question = `Are you still there? ${token}`;
  const answer = `Yes, I am here. ${token}`;

  let mode: 'pass' | 'stall' | 'refuse' = 'pass';
  const routes: WebSocketRoute[] = [];
  const memberContext = await browser.newContext();
  await memberContext.routeWebSocket(/\/ws$/, (ws) => {
    if (mode === 'refuse') {
      ws.close({ code: 4999, reason: 'offline' });
      return;
    }
    const server = ws.connectToServer();
    routes.push(ws);
    ws.onMessage((frame) => {
      if (mode === 'pass') server.send(frame);
    });
    server.onMessage((frame) => {
      if (mode === 'pass') ws.send(frame);
    });
  });
  const member = await memberContext.newPage();
  await member.goto('/login');
  await member.getByLabel('Email').fill('anna@example.com');
  await member.getByLabel('Password').fill('switchboard');
  await member.getByRole('button', { name: 'Sign in' }).click();
  await member.waitForURL(/\/account/);
  await waitLive(member);

  // Both open the same conversation.
  const subject = 'Gift card balance';
  await member.getByRole('link', { name: new RegExp(subject) }).click();
  await expect(messages(member).getByText('How can I check the balance of a gift card I received?')).toBeVisible();
  await operator.getByRole('link', { name: new RegExp(subject) }).click();
  await expect(messages(operator).getByText('How can I check the balance of a gift card I received?')).toBeVisible();

  // The network stalls: her message waits as "sending"; the operator's reply cannot reach her.
  mode = 'stall';
  await reply(member).fill(question);
  await reply(member).press('Enter');
  const pendingMessage = messages(member).locator('li', { hasText: question });
  await expect(pendingMessage.getByText('Sending…')).toBeVisible();
  await reply(operator).fill(answer);
  await reply(operator).press('Enter');
  await expect(messages(operator).getByText(answer)).toBeVisible();

  // The connection drops and cannot come back for a while.
  mode = 'refuse';
  for (const ws of routes.splice(0)) await ws.close({ code: 4999, reason: 'network lost' });
  await expect(member.getByTestId('link-state')).toHaveText('Reconnecting…');
  await expect(pendingMessage.getByText('Sending…')).toBeVisible();

  // The network returns: she catches up and her message is sent, once.
  mode = 'pass';
  await expect(member.getByTestId('link-state')).toHaveText('Live', { timeout: 20_000 });
  await expect(messages(member).getByText(answer)).toHaveCount(1);
  await expect(messages(member).getByText(question)).toHaveCount(1);
  await expect(messages(member).locator('li', { hasText: question }).getByText('Sent')).toBeVisible();
  await expect(messages(operator).getByText(question)).toHaveCount(1);

  // And a reload agrees, in order.
  await member.reload();
  await waitLive(member);
  const bodies = messages(member).locator('.body');
  await expect(bodies.last()).toHaveText(question);
  await expect(bodies.nth(-2)).toHaveText(answer);
  await expect(messages(member).getByText(question)).toHaveCount(1);
  await memberContext.close();
});

test('keyboard: Enter sends, Shift+Enter adds a line, Esc clears the draft; works at phone width', async ({ browser }) => {
  const member = await signIn(browser, 'chloe@example.com', { viewport: { width: 390, height: 800 } });
  await member.getByRole('link', { name: 'New conversation' }).click();
  await expect(member.getByRole('heading', { name: 'New conversation' })).toBeVisible();
  await member.getByRole('textbox', { name: 'Message', exact: true }).press('Escape');
  await expect(member.getByRole('heading', { name: 'New conversation' })).toHaveCount(0);

  await member.getByRole('link', { name: /Card blocked after three wrong PINs/ }).click();
  await expect(member.getByRole('link', { name: '← Back' })).toBeVisible();
  const box = reply(member);
  await box.fill('first line');
  await box.press('Shift+Enter');
  await box.pressSequentially('second line');
  await expect(box).toHaveValue('first line\nsecond line');
  await box.press('Escape');
  await expect(box).toHaveValue('');
  const text = `Two ${Date.now().toString(36)}\nlines`;
  await box.fill(text);
  await box.press('Enter');
  await expect(messages(member).locator('li', { hasText: text.split('\n')[0] }).getByText('Sent')).toBeVisible();
  await member.getByRole('link', { name: '← Back' }).click();
  await expect(member.getByRole('link', { name: 'New conversation' })).toBeVisible();
});
