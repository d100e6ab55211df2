// `npm run screenshots`: the README's pictures, taken from the production build against a real
// server with a throwaway database, on a phone and on a desktop; and the two screenshots the web
// app manifest offers to install dialogs (public/screenshots, sizes as in manifest.webmanifest).
import { chromium } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { chromiumFlags } from '../playwright.config';
import { ServerProcess } from '../e2e/server';

const out = 'docs/screenshots';
mkdirSync(out, { recursive: true });
const server = await ServerProcess.start();
const browser = await chromium.launch({ executablePath: process.env['CHROME_BIN'] ?? '/usr/bin/chromium', args: chromiumFlags });
try {
  mkdirSync('public/screenshots', { recursive: true });
  const shots = [
    { name: 'list', path: '/', viewport: { width: 1280, height: 900 } },
    { name: 'list-wide', path: '/?sort=rating', viewport: { width: 1280, height: 800 }, dir: 'public/screenshots' },
    { name: 'list-narrow', path: '/?sort=rating', viewport: { width: 390, height: 844 }, dir: 'public/screenshots' },
    { name: 'restaurant', path: '/restaurant/3', viewport: { width: 1280, height: 1100 } },
    { name: 'list-mobile', path: '/?neighborhood=Brooklyn', viewport: { width: 390, height: 844 } },
    { name: 'restaurant-mobile-dark', path: '/restaurant/2', viewport: { width: 390, height: 844 }, dark: true },
  ];
  for (const shot of shots) {
    const page = await browser.newPage({ viewport: shot.viewport, colorScheme: shot.dark ? 'dark' : 'light' });
    await page.goto(server.url + shot.path);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.waitForTimeout(1500);
    const file = `${shot.dir ?? out}/${shot.name}.png`;
    await page.screenshot({ path: file });
    await page.close();
    console.log(file);
  }
} finally {
  await browser.close();
  await server.dispose();
}
