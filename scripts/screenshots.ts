// `npm run screenshots`: the README's pictures, taken from the production build against a real
// server with a throwaway database, on a phone and on a desktop.
import { chromium } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { chromiumFlags } from '../playwright.config';
import { ServerProcess } from '../e2e/server';

const out = 'docs/screenshots';
mkdirSync(out, { recursive: true });
const server = await ServerProcess.start();
const browser = await chromium.launch({ executablePath: process.env['CHROME_BIN'] ?? '/usr/bin/chromium', args: chromiumFlags });
try {
  const shots = [
    { name: 'list', path: '/', viewport: { width: 1280, height: 900 } },
    { name: 'restaurant', path: '/restaurant/3', viewport: { width: 1280, height: 1100 } },
    { name: 'list-mobile', path: '/?neighborhood=Brooklyn', viewport: { width: 390, height: 844 } },
    { name: 'restaurant-mobile-dark', path: '/restaurant/2', viewport: { width: 390, height: 844 }, dark: true },
  ];
  for (const shot of shots) {
    const page = await browser.newPage({ viewport: shot.viewport, colorScheme: shot.dark ? 'dark' : 'light' });
    await page.goto(server.url + shot.path);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.waitForTimeout(1500);
    await page.screenshot({ path: `${out}/${shot.name}.png` });
    await page.close();
    console.log(`${out}/${shot.name}.png`);
  }
} finally {
  await browser.close();
  await server.dispose();
}
