import { expect } from '@playwright/test';
import { signIn, startConversation, messages, reply, waitLive, test } from './helpers';

// The operator looks at another window, and every desktop notification the page shows is
// kept where the test can read it (the browser's own notifications are real; this only
// watches them).
const LOOKING_ELSEWHERE = `
  window.__notes = [];
  document.hasFocus = () => false;
  const Real = window.Notification;
  window.Notification = class extends Real {
    constructor(title, options) { super(title, options); window.__notes.push({ title, body: (options || {}).body || '' }); }
  };
  window.Notification.requestPermission = Real.requestPermission.bind(Real);
  Object.defineProperty(window.Notification, 'permission', { get: () => Real.permission });
`;

test('news reaches an operator looking elsewhere: tab count, icon, one desktop notification per burst', async ({ browser }) => {
  const token = Date.now().toString(36);
  const subject = `Refund please ${token}`;
  const ivan = await signIn(browser, 'ivan@desk.example', { permissions: ['notifications'], initScript: LOOKING_ELSEWHERE });
  const notes = () => ivan.evaluate(() => (window as any).__notes as { title: string; body: string }[]);

  await ivan.getByRole('button', { name: 'Settings' }).click();
  const settings = ivan.getByRole('region', { name: 'Settings' });
  await settings.getByLabel('Desktop notifications while I look elsewhere').check();
  await expect(settings.getByLabel('Desktop notifications while I look elsewhere')).toBeChecked();
  await expect(settings.getByLabel("Count in the tab's title and icon")).toBeChecked();
  await ivan.keyboard.press('Escape');
  await expect(settings).toBeHidden();

  // A new ticket in his queue: one notification.
  const member = await signIn(browser, 'anna@example.com');
  await startConversation(member, 'Customer care', subject, 'I was charged twice');
  await expect.poll(async () => (await notes()).map((n) => n.title)).toContain(`New ticket: ${subject}`);

  // He takes it (and so follows it); the member's two quick lines are one burst, told once,
  // and counted in the tab's title and icon.
  await ivan.getByRole('link', { name: new RegExp(subject) }).click();
  await ivan.getByRole('button', { name: 'Take', exact: true }).click();
  await reply(ivan).fill('Looking at it');
  await reply(ivan).press('Enter');
  await expect(messages(member).getByText('Looking at it')).toBeVisible();
  await ivan.goto('/board');
  await waitLive(ivan);
  const before = (await notes()).length;
  for (const line of ['Any news?', 'It was 49.90 twice']) {
    await reply(member).fill(line);
    await reply(member).press('Enter');
  }
  await expect(messages(member).getByText('It was 49.90 twice')).toBeVisible();
  await expect(ivan).toHaveTitle(/^\(2\) /);
  await expect(ivan.locator('link[rel=icon]')).toHaveAttribute('href', /^data:image\/svg\+xml,/);
  await expect.poll(async () => (await notes()).length).toBe(before + 1);
  const burst = (await notes()).at(-1)!;
  expect(burst.title).toBe('2 updates');
  expect(burst.body).toContain(subject);

  // Reading them clears the count; his own answer tells him nothing.
  await ivan.getByRole('link', { name: new RegExp(subject) }).click();
  await expect(ivan).not.toHaveTitle(/^\(/);
  await expect(ivan.locator('link[rel=icon]')).toHaveAttribute('href', '/favicon.svg');
  await reply(ivan).fill('Refunded');
  await reply(ivan).press('Enter');
  await expect(messages(member).getByText('Refunded')).toBeVisible();
  await expect(ivan).not.toHaveTitle(/^\(/);
  expect((await notes()).length).toBe(before + 1);
});
