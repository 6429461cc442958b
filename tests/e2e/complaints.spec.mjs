// The complaints page on the demo data at 375 px, offline (issue 11 §2): a complaint
// registered in a few taps and walked through every state to closed (valid by a special
// team, waiting, resumed, resolved, reopened, resolved, followed up with satisfaction,
// closed); an invalid one refused without its explanation, then explained and closed; one
// that turns overdue when the clock injected with `?now=` passes its target (the list and
// the navigation badge); the analysis; the audit trail exported and a file with a refused
// event imported (the refusal names the state). A second test: the analysis's charts (Pareto
// of categories, monthly trend) with their PNG export and the count by segment, and a demo
// customer's complaints section whose entries open the complaint by its link
// (`#/complaints?open=<id>`). Screenshots in zh and en at 375 and 1280
// px go to tests/e2e/artifacts (look at them).
import { expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { test, ARTIFACTS, counts, goOffline, guardErrors, guardNetwork, loadDemo, shot } from './helpers.mjs';

test.use({ viewport: { width: 375, height: 812 }, timezoneId: 'Asia/Shanghai' });

/** The next Monday (Shanghai) at least one day ahead, `YYYY-MM-DD`, plus n days. */
function monday(n = 0) {
  const d = new Date(Date.now() + 8 * 3600e3);
  d.setUTCDate(d.getUTCDate() + (((8 - d.getUTCDay()) % 7) || 7) + n);
  return d.toISOString().slice(0, 10);
}

async function dismissToast(page) {
  const toast = page.getByTestId('toast');
  if (await toast.count()) await toast.locator('button.ghost').click();
  await expect(toast).toHaveCount(0);
}

async function openAt(page, now) {
  await page.goto(`./?now=${encodeURIComponent(now)}#/complaints`);
  await expect(page.getByTestId('page-complaints')).toBeVisible();
  await expect(page.getByTestId('now-injected')).toBeVisible();
}

async function register(page, { severity, description }) {
  await page.getByTestId('cmp-tab-register').click();
  await page.getByTestId('register-customer-search').fill('公司');
  await page.getByTestId('register-customer-option').first().click();
  await expect(page.getByTestId('register-customer')).toBeVisible();
  await page.getByTestId(`register-severity-${severity}`).click();
  await page.getByTestId('register-description').fill(description);
  await page.getByTestId('register-submit').click();
  await expect(page.getByTestId('complaint-detail')).toBeVisible();
  await expect(page.getByTestId('complaint-state')).toHaveAttribute('data-state', 'registered');
  await dismissToast(page);
  return (await page.getByTestId('complaint-id').textContent()).trim();
}

/** Records one event through its button and form; checks the state it leads to. */
async function event(page, kind, to, fill = async () => {}) {
  await page.getByTestId(`event-${kind}`).click();
  await expect(page.getByTestId('event-form')).toBeVisible();
  await fill();
  await page.getByTestId('event-submit').click();
  await expect(page.getByTestId('complaint-state')).toHaveAttribute('data-state', to);
  await dismissToast(page);
}

test('complaints: register, walk every state to closed, turn overdue, analyse, audit trail', async ({ page, context }) => {
  test.setTimeout(300_000);
  const network = guardNetwork(context);
  const errors = guardErrors(page);
  await loadDemo(page);
  await goOffline(page, context);

  const T = `${monday()}T09:00:00+08:00`;
  await openAt(page, T);

  // A major complaint through every state.
  const a = await register(page, { severity: 'major', description: '包装破损，部分货物受潮' });
  await expect(page.getByTestId('detail-clock')).toContainText('剩余 2.0 小时');
  // Only the events the state allows are offered.
  await expect(page.locator('.cmp-actions button')).toHaveCount(2); // confirmed, note
  await shot(page, 'complaints-02-registered-zh-375');
  await event(page, 'confirmed', 'confirmed');
  await expect(page.getByTestId('event-valid')).toBeVisible();
  await expect(page.getByTestId('event-invalid')).toBeVisible();
  await expect(page.getByTestId('event-resolved')).toHaveCount(0);
  await event(page, 'valid', 'handling', async () => {
    await page.getByTestId('handling-team').check();
    await page.getByTestId('event-members').fill('刘强，王芳');
  });
  await event(page, 'waiting', 'waiting', async () => page.getByTestId('event-note-text').fill('等客户提供照片'));
  await event(page, 'resumed', 'handling');
  await event(page, 'resolved', 'resolved', async () => page.getByTestId('event-note-text').fill('补发货物'));
  // A resolved complaint offers its follow-up visit 回访, planned with the five elements
  // from the complaint (issue 11 §3); closed here without saving.
  await page.getByTestId('complaint-plan-visit').click();
  const plan = page.getByTestId('visit-plan-dialog');
  await expect(plan).toBeVisible();
  await expect(plan.getByTestId('plan-purpose')).toHaveValue('投诉回访');
  await expect(plan.getByTestId('plan-reason')).toHaveValue(/^投诉 T\d{6}.*已处理，了解客户对处理结果的满意程度$/);
  await plan.getByTestId('visit-dialog-close').click();
  await expect(plan).toHaveCount(0);
  await event(page, 'reopened', 'handling');
  await event(page, 'resolved', 'resolved');
  await event(page, 'followed_up', 'followed_up', async () => {
    await page.getByTestId('event-result').fill('客户认可处理结果');
    await page.getByTestId('event-satisfaction').selectOption('4');
  });
  await event(page, 'closed', 'closed');
  await expect(page.getByTestId('trail-row')).toHaveCount(10); // received + 9 events
  await expect(page.locator('[data-testid=trail-row][data-event=valid]')).toContainText('刘强、王芳');
  await expect(page.locator('[data-testid=trail-row][data-event=followed_up]')).toContainText('满意度 4/5');
  await expect(page.locator('.cmp-actions button')).toHaveCount(1); // note only
  await shot(page, 'complaints-03-closed-zh-375');

  // Invalid needs the explanation given to the customer.
  const b = await register(page, { severity: 'general', description: '认为价格高于合同价' });
  await event(page, 'confirmed', 'confirmed');
  await page.getByTestId('event-invalid').click();
  await page.getByTestId('event-submit').click();
  await expect(page.getByTestId('event-error')).toContainText('投诉解释');
  await expect(page.getByTestId('complaint-state')).toHaveAttribute('data-state', 'confirmed');
  await page.getByTestId('event-explanation').fill('合同第5条：价格随原材料指数调整，已附计算表');
  await page.getByTestId('event-submit').click();
  await expect(page.getByTestId('complaint-state')).toHaveAttribute('data-state', 'invalid');
  await dismissToast(page);
  await event(page, 'closed', 'closed');

  // A general complaint: due today at T (confirm within 8 business hours) …
  const c = await register(page, { severity: 'general', description: '交货晚了三天' });
  await page.getByTestId('complaint-back').click();
  await page.getByTestId('cmp-filter-due-today').click();
  await expect(page.locator(`[data-testid=complaint-item][data-id="${c}"]`)).toBeVisible();
  await page.getByTestId('cmp-filter-overdue').click();
  await expect(page.locator(`[data-testid=complaint-item][data-id="${c}"]`)).toHaveCount(0);
  // … overdue a week later.
  await openAt(page, `${monday(7)}T09:00:00+08:00`);
  await page.getByTestId('cmp-filter-overdue').click();
  const late = page.locator(`[data-testid=complaint-item][data-id="${c}"]`);
  await expect(late).toBeVisible();
  await expect(late).toHaveAttribute('data-state', 'registered');
  await expect(late.getByTestId('complaint-clock')).toContainText('超时');
  await expect(page.getByTestId('nav-complaints-overdue')).toBeAttached();
  await shot(page, 'complaints-01-overdue-zh-375');
  for (const id of [a, b]) await expect(page.locator(`[data-testid=complaint-item][data-id="${id}"]`)).toHaveCount(0);

  // The register form.
  await page.getByTestId('cmp-tab-register').click();
  await page.getByTestId('register-customer-search').fill('公司');
  await expect(page.getByTestId('register-customer-option').first()).toBeVisible();
  await shot(page, 'complaints-04-register-zh-375');

  // The analysis as of now.
  await page.getByTestId('cmp-tab-analysis').click();
  await expect(page.getByTestId('stat-complaints')).toBeVisible();
  await expect(page.getByTestId('cmp-by-category').locator('tbody tr').first()).toBeVisible();
  await expect(page.getByTestId('cmp-by-category-csv')).toBeVisible();
  await shot(page, 'complaints-05-analysis-zh-375');

  // The audit trail: export, then import a file with a refused event.
  await page.getByTestId('cmp-tab-audit').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export').click()]);
  const csv = readFileSync(await download.path(), 'utf8');
  expect(csv.replace(/^\uFEFF/, '').split('\n')[0]).toMatch(/^complaint_id,customer_id,category,severity,event,at,by,note/);
  expect(csv).toContain(`${a},`);
  expect(csv.split('\n').filter((l) => l.startsWith(`${a},`))).toHaveLength(10);
  const bad = [
    'complaint_id,customer_id,category,severity,event,at,by,note',
    'TX900001,C000001,交货延迟,general,received,2026-03-02T09:00:00+08:00,张伟,',
    'TX900001,C000001,交货延迟,general,closed,2026-03-02T10:00:00+08:00,张伟,',
    'TX900002,C000001,服务态度,general,received,2026-03-02T09:00:00+08:00,张伟,',
    'TX900002,C000001,服务态度,general,confirmed,2026-03-02T11:00:00+08:00,张伟,',
  ].join('\n');
  await page.getByTestId('audit-import-file').setInputFiles({ name: 'audit.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  const refused = page.getByTestId('audit-rejected');
  await expect(refused).toBeVisible();
  await expect(refused.locator('tbody tr')).toHaveCount(1);
  await expect(refused).toContainText('TX900001');
  await expect(refused).toContainText('已登记');
  await expect(refused.locator('tbody tr td').first()).toHaveText('2');
  await shot(page, 'complaints-06-audit-zh-375');
  await dismissToast(page);

  // English at 1280 px.
  await page.getByTestId('lang-switch').click();
  await page.setViewportSize({ width: 1280, height: 860 });
  await page.getByTestId('cmp-tab-list').click();
  await page.getByTestId('cmp-filter-all').click();
  await expect(page.getByTestId('cmp-filter-all')).toContainText('All');
  await shot(page, 'complaints-07-list-en-1280');
  await page.locator(`[data-testid=complaint-item][data-id="${a}"] [data-testid=complaint-open]`).click();
  await expect(page.getByTestId('complaint-state')).toContainText('closed');
  await shot(page, 'complaints-08-detail-en-1280');
  await page.getByTestId('cmp-tab-analysis').click();
  await expect(page.getByTestId('stat-confirm-rate')).toContainText('Confirmed on time');
  await shot(page, 'complaints-09-analysis-en-1280');
  await page.getByTestId('cmp-tab-register').click();
  await shot(page, 'complaints-10-register-en-1280');
  // English at 375 px, Chinese at 1280 px.
  await page.setViewportSize({ width: 375, height: 812 });
  await page.getByTestId('cmp-tab-list').click();
  await page.getByTestId('cmp-filter-overdue').click();
  await shot(page, 'complaints-11-overdue-en-375');
  await page.getByTestId('lang-switch').click();
  await page.setViewportSize({ width: 1280, height: 860 });
  await shot(page, 'complaints-12-overdue-zh-1280');

  network();
  errors();
});

test('complaints: analysis charts and segments; a customer\'s complaints open by link', async ({ page, context }) => {
  test.setTimeout(240_000);
  const network = guardNetwork(context);
  const errors = guardErrors(page);
  await page.setViewportSize({ width: 1280, height: 860 });
  await loadDemo(page);
  await goOffline(page, context);

  await page.goto('./#/complaints');
  await expect(page.getByTestId('page-complaints')).toBeVisible();
  await page.getByTestId('cmp-tab-analysis').click();
  const pareto = page.getByTestId('chart-cmp-pareto');
  const trend = page.getByTestId('chart-cmp-trend');
  await expect(pareto).toBeVisible();
  await expect(trend).toBeVisible();
  for (const id of ['chart-cmp-pareto', 'chart-cmp-trend']) {
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`${id}-png`).click()]);
    expect(png.suggestedFilename()).toMatch(new RegExp(`^clientscope-${id}-.*\\.png$`));
    const bytes = readFileSync(await png.path());
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  }
  const seg = page.getByTestId('cmp-by-segment');
  await expect(seg.locator('tbody tr').first()).toBeVisible();
  expect(await seg.locator('tbody tr').count()).toBeGreaterThan(1);
  await expect(page.getByTestId('cmp-by-segment-csv')).toBeVisible();
  // Another dimension: the rows follow it.
  const before = await seg.locator('tbody').textContent();
  await page.getByTestId('cmp-segment-by').selectOption({ index: 0 });
  await expect(seg.locator('tbody')).not.toHaveText(before);
  await expect(seg.locator('tbody tr').first()).toBeVisible();
  await seg.scrollIntoViewIfNeeded();
  await shot(page, 'complaints-analysis-segment-zh-1280');
  await pareto.scrollIntoViewIfNeeded();
  await shot(page, 'complaints-analysis-zh-1280');
  // A chart is drawn for the width it has when it is shown: show the tab again after resizing.
  const redraw = async () => {
    await page.getByTestId('cmp-tab-list').click();
    await page.getByTestId('cmp-tab-analysis').click();
    await expect(pareto).toBeVisible();
  };
  await page.setViewportSize({ width: 375, height: 812 });
  await redraw();
  await pareto.scrollIntoViewIfNeeded();
  await shot(page, 'complaints-analysis-zh-375');
  await trend.scrollIntoViewIfNeeded();
  await shot(page, 'complaints-analysis-trend-zh-375');
  await page.getByTestId('lang-switch').click();
  await expect(page.getByTestId('cmp-tab-analysis')).toContainText('Analysis');
  await pareto.scrollIntoViewIfNeeded();
  await shot(page, 'complaints-analysis-en-375');
  await trend.scrollIntoViewIfNeeded();
  await shot(page, 'complaints-analysis-trend-en-375');
  await page.setViewportSize({ width: 1280, height: 860 });
  await redraw();
  await pareto.scrollIntoViewIfNeeded();
  await shot(page, 'complaints-analysis-en-1280');
  await page.getByTestId('lang-switch').click();

  // A customer with complaints: the first of the audit trail.
  await page.getByTestId('cmp-tab-audit').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export').click()]);
  const row = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '').split('\n')[1].split(',');
  const [complaint, customer] = row;
  await page.goto(`./#/customers/${customer}`);
  const section = page.getByTestId('customer-complaints');
  await expect(section).toBeVisible();
  const entries = section.getByTestId('customer-complaint');
  await expect(entries.first()).toBeVisible();
  await expect(section.locator(`[data-testid=customer-complaint][data-id="${complaint}"]`)).toBeVisible();
  // Newest first: the list reads as the complaints page's clock words.
  await expect(entries.first().locator('.cmp-clock')).not.toBeEmpty();
  await section.scrollIntoViewIfNeeded();
  await shot(page, 'complaints-customer-zh-1280');
  await section.locator(`[data-testid=customer-complaint][data-id="${complaint}"] [data-testid=customer-complaint-open]`).click();
  await expect(page.getByTestId('complaint-detail')).toBeVisible();
  await expect(page.getByTestId('complaint-id')).toHaveText(complaint);
  expect(page.url()).toContain(`#/complaints?open=${complaint}`);
  // Back to the list: the address no longer names the complaint; a deep link opens it again.
  await page.getByTestId('complaint-back').click();
  await expect(page.getByTestId('cmp-list').or(page.getByTestId('cmp-empty'))).toBeVisible();
  await expect.poll(() => page.url()).not.toContain('open=');
  await page.goto(`./#/complaints?open=${complaint}`);
  await expect(page.getByTestId('complaint-id')).toHaveText(complaint);

  // Register from the customer's page: the form starts with the customer chosen.
  await page.goto(`./#/customers/${customer}`);
  const name = (await page.getByTestId('customer-name').textContent()).trim();
  await page.getByTestId('customer-register-complaint').click();
  await expect(page.getByTestId('cmp-register')).toBeVisible();
  await expect(page.getByTestId('register-customer')).toHaveText(name);

  network();
  errors();
});

// Issue 11 §2, the draft rule: switched on with a level in the settings, the survey answers
// at or below it (or a likelihood to recommend of 0-6) are listed as complaint drafts for
// review, never registered silently. One is registered (it becomes a complaint of that
// customer and leaves the list), one dismissed; after a reload neither comes back.
test('complaints: survey answers at or below the level become drafts for review', async ({ page, context }) => {
  test.setTimeout(240_000);
  const network = guardNetwork(context);
  const errors = guardErrors(page);
  await loadDemo(page);
  await goOffline(page, context);

  // Off by default: no drafts tab, nothing created.
  await page.goto('./#/complaints');
  await expect(page.getByTestId('page-complaints')).toBeVisible();
  await expect(page.getByTestId('cmp-tab-drafts')).toHaveCount(0);
  const before = await counts(page);

  // A level out of range is refused with a message; 2 is taken.
  await page.goto('./#/settings');
  const card = page.getByTestId('settings-drafts');
  await card.scrollIntoViewIfNeeded();
  await page.getByTestId('drafts-rule-on').check();
  await page.getByTestId('drafts-rule-level').fill('-1');
  await page.getByTestId('drafts-rule-save').click();
  await expect(page.getByTestId('drafts-rule-error')).toBeVisible();
  await page.getByTestId('drafts-rule-level').fill('2');
  await page.getByTestId('drafts-rule-save').click();
  await expect(page.getByTestId('drafts-rule-error')).toHaveCount(0);
  await dismissToast(page);
  await shot(page, 'complaints-drafts-settings-zh-375');

  await page.goto('./#/complaints');
  await page.getByTestId('cmp-tab-drafts').click();
  const items = page.getByTestId('draft-item');
  await expect(items.first()).toBeVisible();
  const total = Number((await page.getByTestId('cmp-tab-drafts').textContent()).match(/\d+/)[0]);
  expect(total).toBeGreaterThan(1);
  // Every listed draft says why (the items at or below 2, or the NPS answer).
  await expect(items.first().getByTestId('draft-reasons')).not.toBeEmpty();
  // In the survey's words: its name and the items' labels, never their ids (S001, gas_quality).
  for (const reasons of await page.getByTestId('draft-reasons').allTextContents()) {
    expect(reasons).toMatch(/^满意度调查「[^」]+」：.+。$/);
    expect(reasons).not.toMatch(/\bS\d{3}\b|[a-z]_[a-z]/);
  }
  await shot(page, 'complaints-drafts-zh-375');

  // Register the first draft that names its customer.
  const named = page.locator('[data-testid=draft-item]:not([data-customer=""])').first();
  const response = await named.getAttribute('data-response');
  const customerName = (await named.getByTestId('draft-customer').textContent()).trim();
  await named.getByTestId('draft-register').click();
  const toast = page.getByTestId('toast');
  await expect(toast).toContainText('已登记为投诉');
  const id = (await toast.textContent()).match(/T\d+/)[0];
  await dismissToast(page);
  await expect(page.locator(`[data-testid=draft-item][data-response="${response}"]`)).toHaveCount(0);
  await expect(page.getByTestId('cmp-tab-drafts')).toContainText(String(total - 1));

  // Dismiss the next one.
  const other = await items.first().getAttribute('data-response');
  await items.first().getByTestId('draft-dismiss').click();
  await expect(page.locator(`[data-testid=draft-item][data-response="${other}"]`)).toHaveCount(0);
  await expect(page.getByTestId('cmp-tab-drafts')).toContainText(String(total - 2));
  await dismissToast(page);

  // The registered draft is a complaint of that customer, registered, with its number.
  await page.goto(`./#/complaints?open=${id}`);
  await expect(page.getByTestId('complaint-id')).toHaveText(id);
  await expect(page.getByTestId('complaint-state')).toHaveAttribute('data-state', 'registered');
  await expect(page.getByTestId('complaint-detail')).toContainText(customerName);
  await expect(page.getByTestId('complaint-detail')).toContainText('满意度调查「');
  await expect(page.getByTestId('complaint-trail')).toContainText('的满意度答卷');
  await shot(page, 'complaints-drafts-registered-zh-375');

  // After a reload neither comes back, and exactly one complaint was added.
  await page.reload();
  await page.goto('./#/complaints');
  await page.getByTestId('cmp-tab-drafts').click();
  await expect(items.first()).toBeVisible();
  await expect(page.getByTestId('cmp-tab-drafts')).toContainText(String(total - 2));
  for (const r of [response, other]) {
    await expect(page.locator(`[data-testid=draft-item][data-response="${r}"]`)).toHaveCount(0);
  }
  const after = await counts(page);
  expect(Number(after.complaints)).toBe(Number(before.complaints) + 1);
  expect(after.responses).toBe(before.responses);

  await page.getByTestId('lang-switch').click();
  await page.goto('./#/complaints');
  await page.getByTestId('cmp-tab-drafts').click();
  await expect(items.first()).toBeVisible();
  await shot(page, 'complaints-drafts-en-375');
  await page.getByTestId('lang-switch').click();

  network();
  errors();
});
