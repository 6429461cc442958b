// Excel export as a user meets it: on the demo data, the Excel button beside each CSV
// export saves a workbook that openpyxl (PyPI, independent of our writer and of calamine)
// reads back with the same header and row count as the CSV beside it, numbers as numbers,
// dates as real Excel dates, Chinese text intact, the header frozen, no formula anywhere
// (scripts/check_xlsx.py; the venv comes from scripts/setup.sh).
import { expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, ARTIFACTS, guardNetwork, loadDemo, shot } from './helpers.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PYTHON = resolve(ROOT, '.venv/bin/python');

/** The CSV's header cells and its data rows (quoted fields with commas and line breaks kept together). */
function readCsv(path) {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  const rows = [];
  let row = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n') { row.push(cell.replace(/\r$/, '')); rows.push(row); row = []; cell = ''; }
    else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return { headers: rows[0], rows: rows.slice(1) };
}

async function save(page, testid, name) {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId(testid).click()]);
  const path = resolve(ARTIFACTS, name);
  await download.saveAs(path);
  return { path, suggested: download.suggestedFilename() };
}

function check(path, expect_) {
  return execFileSync(PYTHON, [resolve(ROOT, 'scripts/check_xlsx.py'), path, JSON.stringify(expect_)], { encoding: 'utf8' }).trim();
}

test('every Excel button writes the table its CSV holds, typed, and the page goes on', async ({ page, context }) => {
  test.setTimeout(240_000);
  const network = guardNetwork(context);
  await loadDemo(page);

  // The customer list: 2,000 rows, revenue a number, last order a date, Chinese names kept.
  await page.goto('./#/customers');
  const csv = readCsv((await save(page, 'customers-export-csv', 'xlsx-customers.csv')).path);
  const xlsx = await save(page, 'customers-export-xlsx', 'xlsx-customers.xlsx');
  expect(xlsx.suggested).toMatch(/^clientscope-customers-\d{8}-\d{4}\.xlsx$/);
  expect(csv.rows.length).toBe(2000);
  const first = csv.rows[0];
  console.log(check(xlsx.path, {
    sheet: '客户', headers: csv.headers, rows: csv.rows.length,
    types: { [csv.headers[8]]: 'number', [csv.headers[9]]: 'date', [csv.headers[1]]: 'text' },
    nonempty: [csv.headers[0], csv.headers[1]],
    cells: [[1, csv.headers[1], first[1]], [1, csv.headers[8], Number(first[8])], ...(first[9] ? [[1, csv.headers[9], first[9]]] : [])],
  }));
  expect(first[1]).toMatch(/[\u4e00-\u9fff]/);

  // The value analysis: the per-customer table and a shown table (ABC), same rows as the CSV.
  await page.goto('./#/value');
  await page.getByTestId('value-compute').click();
  await expect(page.getByTestId('busy')).toHaveCount(0, { timeout: 90_000 });
  await expect(page.getByTestId('value-results')).toBeVisible();
  for (const [csvId, xlsxId, name] of [['value-export-csv', 'value-export-xlsx', 'value'], ['abc-table-csv', 'abc-table-xlsx', 'abc']]) {
    const c = readCsv((await save(page, csvId, `xlsx-${name}.csv`)).path);
    const x = await save(page, xlsxId, `xlsx-${name}.xlsx`);
    expect(x.suggested).toMatch(/\.xlsx$/);
    const numeric = c.headers.filter((_, i) => c.rows.every((r) => /^-?\d+(\.\d+)?$/.test(r[i] ?? '')));
    expect(numeric.length).toBeGreaterThan(0);
    console.log(check(x.path, {
      headers: c.headers, rows: c.rows.length,
      types: Object.fromEntries(numeric.map((h) => [h, 'number'])),
      cells: [[1, c.headers[0], c.rows[0][0]]],
    }));
  }
  // While a workbook is written the button says so, and it comes back.
  await expect(page.getByTestId('value-export-xlsx')).toBeEnabled();
  await expect(page.getByTestId('value-export-xlsx')).toHaveText('导出 Excel');
  await page.getByTestId('value-export-xlsx').scrollIntoViewIfNeeded();
  await shot(page, 'xlsx-01-value-buttons');

  // The visit log: dates and times as Excel dates.
  await page.goto('./#/visits');
  const vc = readCsv((await save(page, 'visit-export-csv', 'xlsx-visits.csv')).path);
  const vx = await save(page, 'visit-export-xlsx', 'xlsx-visits.xlsx');
  expect(vx.suggested).toMatch(/^visits-\d{4}-\d{2}-\d{2}\.xlsx$/);
  console.log(check(vx.path, { headers: vc.headers, rows: vc.rows.length }));
  expect(vc.rows.length).toBeGreaterThan(0);
  network();
});
