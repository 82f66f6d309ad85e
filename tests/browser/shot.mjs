import puppeteer from 'puppeteer-core';
const [,, url, out, width] = process.argv;
const b = await puppeteer.launch({executablePath: '/usr/bin/chromium', args: ['--no-sandbox']});
const p = await b.newPage();
await p.setViewport({width: Number(width || 1200), height: 900});
await p.goto(url, {waitUntil: 'networkidle0'});
await p.screenshot({path: out, fullPage: true});
await b.close();
