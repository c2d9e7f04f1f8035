import { chromium } from '@playwright/test';
const [,, url, out, w = '1440', h = '900', action = ''] = process.argv;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: +w, height: +h }, colorScheme: process.env.DARK ? 'dark' : 'light' });
page.on('pageerror', (e) => console.log('pageerror', e.message));
await page.goto(url);
if (action) await eval(`(async () => { ${action} })()`);
await page.screenshot({ path: out, fullPage: !!process.env.FULL });
await browser.close();
