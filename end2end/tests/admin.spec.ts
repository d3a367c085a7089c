import { expect } from '@playwright/test';
import { messages, reply, signIn, test } from './helpers';

test('an administrator configures departments, staff and canned responses; every screen follows live', async ({ browser }) => {
  const token = `a${Date.now().toString(36)}`;
  const returns = `Returns ${token}`;
  const ada = await signIn(browser, 'ada@desk.example');
  const member = await signIn(browser, 'anna@example.com');
  const olga = await signIn(browser, 'olga@desk.example');

  // Only administrators reach the page.
  await olga.goto('/admin');
  await expect(olga).toHaveURL(/\/board$/);

  await ada.getByRole('link', { name: 'Administration' }).click();
  await expect(ada.getByRole('heading', { name: 'Administration' })).toBeVisible();
  await member.getByRole('link', { name: 'New conversation' }).click();
  const department = member.getByLabel('Department');
  await expect(department.locator('option', { hasText: 'Customer care' })).toHaveCount(1);

  // A department not offered to members yet.
  const add = ada.getByRole('form', { name: 'New department' });
  await add.getByLabel('New department name').fill(returns);
  await add.getByLabel('Offered in the support centre').uncheck();
  await add.getByRole('button', { name: 'Add department' }).click();
  const row = ada.getByRole('list', { name: 'Departments' }).getByRole('listitem', { name: returns });
  await expect(row).toBeVisible();
  await expect(ada.getByRole('status', { name: 'Changes' })).toHaveText('Saved');
  await expect(department.locator('option', { hasText: returns })).toHaveCount(0);

  // A taken name is refused, as the server words it.
  await add.getByLabel('New department name').fill(returns.toLowerCase());
  await add.getByRole('button', { name: 'Add department' }).click();
  await expect(ada.getByRole('alert')).toContainText('is already taken');

  // Offered: the member's open form lists it at once, and she writes there.
  await row.getByLabel('Offered in the support centre').check();
  await row.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(department.locator('option', { hasText: returns })).toHaveCount(1);
  await department.selectOption({ label: returns });
  await member.getByLabel('Subject').fill(`Kettle ${token}`);
  await member.getByRole('textbox', { name: 'Message', exact: true }).fill('The kettle leaks');
  await member.getByRole('textbox', { name: 'Message', exact: true }).press('Enter');
  await expect(messages(member).getByText('The kettle leaks')).toBeVisible();

  // Olga joins the department: its ticket appears on her board live.
  const olgaRow = ada.getByRole('list', { name: 'Staff' }).getByRole('listitem', { name: 'Olga Petrova' });
  await olgaRow.getByLabel(returns).check();
  await olgaRow.getByRole('button', { name: 'Save' }).click();
  const ticket = olga.getByRole('list', { name: 'Tickets', exact: true }).getByRole('link', { name: new RegExp(`Kettle ${token}`) });
  await expect(ticket).toBeVisible();

  // A canned response for the department reaches her reply box live, placeholders filled.
  await ticket.click();
  const canned = ada.getByRole('form', { name: 'New canned response' });
  await canned.getByLabel('Department').selectOption({ label: returns });
  await canned.getByLabel('New response title').fill(`Leak ${token}`);
  await canned.getByLabel('New response text').fill('Hello {member}, send us a photo of the leak.');
  await canned.getByRole('button', { name: 'Add response' }).click();
  await olga.getByLabel('Insert canned response').selectOption({ label: `Leak ${token}` });
  await expect(reply(olga)).toHaveValue('Hello Anna Ivanova, send us a photo of the leak.');

  // A department with tickets is not deleted: two steps, then the reason.
  const del = row.getByRole('button', { name: 'Delete' });
  await del.click();
  await row.getByRole('button', { name: 'Confirm delete' }).click();
  await expect(ada.getByRole('alert')).toContainText(`${returns} holds 1 tickets`);
  await expect(row).toBeVisible();
});

test('an administrator adds a member by hand; a phone number someone has is refused, naming it', async ({ browser }) => {
  const token = Date.now().toString(36);
  const ada = await signIn(browser, 'ada@desk.example');
  await ada.goto('/admin');
  const form = ada.getByRole('form', { name: 'New member', exact: true });
  await form.getByLabel('Full name').fill('Mila Orlova');
  await form.getByLabel('Email').fill(`mila.${token}@example.org`);
  await form.getByLabel('Phone (optional)').fill('+7 916 123-45-01');
  await form.getByRole('button', { name: 'Add member' }).click();
  await expect(ada.getByRole('alert')).toContainText('“+79161234501” is already taken');
  await expect(form.getByLabel('Email')).toHaveValue(`mila.${token}@example.org`);
  await form.getByLabel('Phone (optional)').fill('');
  await form.getByRole('button', { name: 'Add member' }).click();
  await expect(ada.getByRole('status', { name: 'Changes' })).toHaveText('Saved');
  await expect(form.getByLabel('Email')).toHaveValue('');
});
