import { expect, Page } from '@playwright/test';
import { signIn, messages, reply, test } from './helpers';

const PHONE = { width: 390, height: 844 };

/** Nothing on the page is wider than the screen. */
async function fitsTheScreen(page: Page) {
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(scroll).toBeLessThanOrEqual(width);
}

test('staff and members work from a phone: two screens, nothing wider than the screen, Enter adds a line', async ({ browser }) => {
  const token = Date.now().toString(36);
  const subject = `From my phone ${token}`;
  const member = await signIn(browser, 'anna@example.com', { viewport: PHONE, touch: true });
  await fitsTheScreen(member);
  // On a touch screen Enter adds a line: the button starts the conversation.
  await member.getByRole('link', { name: 'New conversation' }).click();
  await member.getByLabel('Department').selectOption({ label: 'Customer care' });
  await member.getByLabel('Subject').fill(subject);
  await member.getByRole('textbox', { name: 'Message', exact: true }).fill('Written on a phone');
  await member.getByRole('textbox', { name: 'Message', exact: true }).press('Enter');
  await expect(member.getByRole('textbox', { name: 'Message', exact: true })).toHaveValue('Written on a phone\n');
  await member.getByRole('button', { name: 'Start conversation' }).click();
  await expect(messages(member).getByText('Written on a phone')).toBeVisible();
  await fitsTheScreen(member);

  const ivan = await signIn(browser, 'ivan@desk.example', { viewport: PHONE, touch: true });
  await fitsTheScreen(ivan);
  const row = ivan.getByRole('link', { name: new RegExp(subject) });
  await row.click();
  // The ticket is a screen of its own, with a way back.
  await expect(ivan.getByRole('heading', { name: subject })).toBeVisible();
  await expect(ivan.getByRole('list', { name: 'Tickets', exact: true })).toBeHidden();
  await fitsTheScreen(ivan);

  // On a touch screen Enter adds a line; the Send button sends.
  await reply(ivan).fill('First line');
  await reply(ivan).press('Enter');
  await reply(ivan).pressSequentially('second line');
  await expect(reply(ivan)).toHaveValue('First line\nsecond line');
  await ivan.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(messages(member).getByText(/First line\s+second line/)).toBeVisible();
  await expect(reply(ivan)).toHaveValue('');

  await ivan.getByRole('link', { name: /Back/ }).click();
  await expect(ivan.getByRole('list', { name: 'Tickets', exact: true })).toBeVisible();
  await fitsTheScreen(ivan);
  // Every control of the board is at least 24 px to the finger.
  const small = await ivan.evaluate(() =>
    [...document.querySelectorAll('.board-head button, .board-head select, .topbar button, .topbar select')]
      .filter((el) => (el as HTMLElement).offsetParent !== null)
      .map((el) => [el.textContent?.trim() || el.getAttribute('aria-label') || el.tagName, el.getBoundingClientRect().height])
      .filter(([, h]) => (h as number) < 24),
  );
  expect(small).toEqual([]);
});
