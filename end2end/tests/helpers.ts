import { Browser, Page, expect } from '@playwright/test';

export const PASSWORD = 'switchboard';

/** Signs in through the real login page in a fresh browser context; waits until live. */
export async function signIn(browser: Browser, email: string, options: { viewport?: { width: number; height: number } } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: options.viewport });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/(account|board)/);
  await waitLive(page);
  return page;
}

/** Waits until the page is hydrated and its socket is connected. */
export async function waitLive(page: Page): Promise<void> {
  await expect(page.locator('body[data-hydrated="true"]')).toBeAttached();
  await expect(page.getByTestId('link-state')).toHaveText('Live');
}

export function messages(page: Page) {
  return page.getByRole('list', { name: 'Messages' });
}

/** The reply box of the open conversation. */
export function reply(page: Page) {
  return page.getByRole('textbox', { name: 'Your message' });
}

/** A member starts a conversation from the "New conversation" form (Enter sends); waits until
 *  its first message shows in the conversation. */
export async function startConversation(member: Page, department: string, subject: string, body: string): Promise<void> {
  await member.getByRole('link', { name: 'New conversation' }).click();
  await member.getByLabel('Department').selectOption({ label: department });
  await member.getByLabel('Subject').fill(subject);
  await member.getByRole('textbox', { name: 'Message', exact: true }).fill(body);
  await member.getByRole('textbox', { name: 'Message', exact: true }).press('Enter');
  await expect(messages(member).getByText(body)).toBeVisible();
}
