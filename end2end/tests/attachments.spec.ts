import { test, expect } from '@playwright/test';
import { messages, signIn, startConversation } from './helpers';

/** A tiny real PNG (2×2 pixels). */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFUlEQVR4nGM4wcBwIgWIGVJOpKQAAB9OBLHGiXGaAAAAAElFTkSuQmCC',
  'base64',
);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

test('files sent by the member appear live for the operator: the picture opens, the document downloads with its name and bytes', async ({ browser }) => {
  const subject = `Cracked screen ${Date.now().toString(36)}`;
  const member = await signIn(browser, 'anna@example.com');
  const operator = await signIn(browser, 'olga@desk.example');
  await startConversation(member, 'Customer care', subject, 'My phone screen cracked');
  await operator.getByRole('list', { name: 'Tickets', exact: true }).getByRole('link', { name: new RegExp(subject) }).click();
  await expect(messages(operator).getByText('My phone screen cracked')).toBeVisible();

  // The member's files go up, then with a message (through her own session).
  const ticket = new URL(member.url()).searchParams.get('t');
  expect(ticket).toBeTruthy();
  const photo = await (await member.request.post('/api/uploads?name=screen.png', { data: PNG })).json();
  const invoice = await (await member.request.post('/api/uploads?name=Invoice%20May.pdf', { data: PDF })).json();
  expect(photo.content_type).toBe('image/png');
  const sent = await member.request.post(`/api/tickets/${ticket}/messages`, {
    data: { client_msg_id: `files-${Date.now()}`, body: 'Photo and invoice', attachments: [photo.id, invoice.id] },
  });
  expect(sent.status()).toBe(201);

  // Both sides show them live: the picture (loaded) and the document's card.
  for (const page of [member, operator]) {
    const files = messages(page).getByRole('list', { name: 'Attachments' });
    await expect(files.getByRole('link', { name: 'Open screen.png full size' })).toBeVisible();
    await expect(files.getByRole('link', { name: 'Download Invoice May.pdf' })).toContainText('application/pdf');
    await expect(files.getByRole('img', { name: 'screen.png' })).toHaveJSProperty('naturalWidth', 2);
  }

  // The operator opens the picture full size, and downloads the document.
  const [full] = await Promise.all([
    operator.context().waitForEvent('page'),
    operator.getByRole('link', { name: 'Open screen.png full size' }).click(),
  ]);
  await full.waitForLoadState();
  expect(full.url()).toContain(`/api/files/${photo.id}`);
  const [download] = await Promise.all([
    operator.waitForEvent('download'),
    operator.getByRole('link', { name: 'Download Invoice May.pdf' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('Invoice May.pdf');
  const path = await download.path();
  const fs = await import('node:fs');
  expect(fs.readFileSync(path!).equals(PDF)).toBe(true);

  // Another member learns nothing of them.
  const boris = await signIn(browser, 'boris@example.com');
  expect((await boris.request.get(`/api/files/${photo.id}`)).status()).toBe(404);
});
