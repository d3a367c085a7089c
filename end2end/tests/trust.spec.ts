import { expect } from '@playwright/test';
import { PASSWORD, signIn, waitLive, test } from './helpers';

test('a person changes their password: the other screen is signed out at once, the new password works, the old does not', async ({ browser }) => {
  const here = await signIn(browser, 'boris@example.com');
  const there = await signIn(browser, 'boris@example.com', { viewport: { width: 390, height: 844 } });

  await here.getByRole('link', { name: 'Change password' }).click();
  await expect(here.getByRole('heading', { name: 'Change password' })).toBeVisible();
  const attempt = async (current: string, next: string, again = next) => {
    await here.getByLabel('Current password').fill(current);
    await here.getByLabel('New password', { exact: true }).fill(next);
    await here.getByLabel('New password again').fill(again);
    await here.getByRole('button', { name: 'Change password' }).click();
  };

  // Refusals say why, and change nothing.
  await attempt('not it', 'a brand new secret');
  await expect(here.getByRole('alert')).toContainText('not your current password');
  await attempt(PASSWORD, 'a brand new secret', 'another one entirely');
  await expect(here.getByRole('alert')).toHaveText('The two new passwords differ.');
  await attempt(PASSWORD, 'password123');
  await expect(here.getByRole('alert')).toContainText('too easy to guess');
  await expect(there.getByTestId('link-state')).toHaveText('Live');

  // Changed: the other screen goes to the sign-in page at once; this one stays signed in.
  await attempt(PASSWORD, 'a brand new secret');
  await expect(here.getByRole('status')).toContainText('Password changed');
  await there.waitForURL(/\/login/);
  await here.getByRole('link', { name: 'Back to Switchboard' }).click();
  await waitLive(here);

  // The old password no longer opens the account; the new one does.
  await there.getByLabel('Email').fill('boris@example.com');
  await there.getByLabel('Password').fill(PASSWORD);
  await there.getByRole('button', { name: 'Sign in' }).click();
  await expect(there.getByRole('alert')).toHaveText('Wrong email or password.');
  await there.getByLabel('Email').fill('boris@example.com');
  await there.getByLabel('Password').fill('a brand new secret');
  await there.getByRole('button', { name: 'Sign in' }).click();
  await there.waitForURL(/\/account/);
  await waitLive(there);

  // Back as it was, for whoever signs in as Boris next.
  const restored = await here.request.put('/api/me/password', {
    data: { current_password: 'a brand new secret', new_password: PASSWORD },
    headers: { origin: new URL(here.url()).origin },
  });
  expect(restored.status()).toBe(204);
});

test('an administrator resets a password or disables an account: every screen of that person is signed out at once', async ({ browser }) => {
  const ada = await signIn(browser, 'ada@desk.example');
  const mike = await signIn(browser, 'mike@desk.example');
  await ada.goto('/admin');
  const row = ada.getByRole('listitem', { name: 'Mike Chen' });
  await row.getByText('Reset password').click();
  await row.getByLabel('New password for Mike Chen').fill('a fresh start 42');
  await row.getByRole('button', { name: 'Set password' }).click();
  await mike.waitForURL(/\/login/);
  await mike.getByLabel('Email').fill('mike@desk.example');
  await mike.getByLabel('Password').fill('a fresh start 42');
  await mike.getByRole('button', { name: 'Sign in' }).click();
  await mike.waitForURL(/\/board/);
  await waitLive(mike);
  // Her own row offers no reset: she changes hers with the current one.
  await expect(ada.getByRole('listitem', { name: 'Ada Lovelace' }).getByText('Reset password')).toHaveCount(0);
  const field = row.getByLabel('New password for Mike Chen');
  if (!(await field.isVisible())) await row.getByText('Reset password').click();
  await field.fill(PASSWORD);
  await row.getByRole('button', { name: 'Set password' }).click();
  await mike.waitForURL(/\/login/);

  // Disabled, the account cannot sign in; enabled again, it can.
  await row.getByRole('button', { name: 'Disable account' }).click();
  await expect(row.getByText('Disabled', { exact: true })).toBeVisible();
  await mike.getByLabel('Email').fill('mike@desk.example');
  await mike.getByLabel('Password').fill(PASSWORD);
  await mike.getByRole('button', { name: 'Sign in' }).click();
  await expect(mike.getByRole('alert')).toHaveText('Wrong email or password.');
  await row.getByRole('button', { name: 'Enable account' }).click();
  await expect(row.getByText('Disabled', { exact: true })).toHaveCount(0);
  await mike.getByLabel('Email').fill('mike@desk.example');
  await mike.getByLabel('Password').fill(PASSWORD);
  await mike.getByRole('button', { name: 'Sign in' }).click();
  await mike.waitForURL(/\/board/);
});

test('an administrator makes a token for an operator: its secret is shown once, a script uses it, revoking stops it at once', async ({ browser, playwright, baseURL }) => {
  const ada = await signIn(browser, 'ada@desk.example');
  await ada.goto('/tokens');
  await expect(ada.getByRole('heading', { name: 'API tokens' })).toBeVisible();
  await ada.getByLabel('Name').fill('Telephone exchange');
  await ada.getByLabel('Scope').selectOption('operator');
  await ada.getByLabel('For').selectOption({ label: 'Olga Petrova' });
  await ada.getByRole('button', { name: 'Create token' }).click();
  await expect(ada.getByRole('heading', { name: 'Token “Telephone exchange” created' })).toBeVisible();
  const secret = await ada.getByLabel('Secret').inputValue();
  expect(secret).toMatch(/^sbt_[0-9a-f]{64}$/);
  await expect(ada.getByRole('row', { name: /Telephone exchange/ })).toContainText('Olga Petrova');

  // A script (no cookie, no Origin) acts as Olga with it.
  const script = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${secret}` } });
  const me = await script.get('/api/me');
  expect(me.status()).toBe(200);
  expect((await me.json()).email).toBe('olga@desk.example');

  // Shown once: a reload no longer holds the secret, but the token is listed with its use.
  await ada.reload();
  await expect(ada.getByLabel('Secret')).toHaveCount(0);
  expect(await ada.content()).not.toContain(secret);
  const row = ada.getByRole('row', { name: /Telephone exchange/ });
  await expect(row).not.toContainText('Never');

  // Revoked from the page: the very next request is refused.
  await row.getByRole('button', { name: 'Revoke token Telephone exchange' }).click();
  await expect(ada.getByRole('status')).toContainText('Token revoked');
  await expect(ada.getByRole('row', { name: /Telephone exchange/ })).toHaveCount(0);
  expect((await script.get('/api/me')).status()).toBe(401);
  await script.dispose();
});
