import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureBinary } from '@mentora/testing';
import { type Browser, chromium } from 'playwright-core';
import { appDir } from './web-server.ts';

/** Where tests write screenshots (gitignored). */
export const artifactsDir = join(appDir, '.artifacts');

/** Debian's Chromium, headless, with nothing reaching out to the network on its own. */
export async function launchChromium(): Promise<Browser> {
  await mkdir(artifactsDir, { recursive: true });
  return chromium.launch({
    executablePath: await ensureBinary('chromium', 'chromium'),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
